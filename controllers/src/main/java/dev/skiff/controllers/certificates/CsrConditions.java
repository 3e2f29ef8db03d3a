package dev.skiff.controllers.certificates;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Reads and makes the conditions of a CertificateSigningRequest's status. */
final class CsrConditions {
  private CsrConditions() {}

  static boolean has(CertificateSigningRequest csr, String type) {
    if (csr.getStatus() == null || csr.getStatus().getConditions() == null) {
      return false;
    }
    return csr.getStatus().getConditions().stream()
        .anyMatch(c -> type.equals(c.getType()) && !"False".equals(c.getStatus()));
  }

  static boolean issued(CertificateSigningRequest csr) {
    return csr.getStatus() != null
        && csr.getStatus().getCertificate() != null
        && !csr.getStatus().getCertificate().isEmpty();
  }

  static CertificateSigningRequestCondition condition(String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new CertificateSigningRequestConditionBuilder()
        .withType(type)
        .withStatus("True")
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(now)
        .withLastTransitionTime(now)
        .build();
  }
}
