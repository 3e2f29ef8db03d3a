package dev.skiff.controllers.certificates;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's csrsigning controller: signs approved requests for the kubelet client, kubelet serving
 * and API client signers with the cluster CA and writes {@code status.certificate}; a request its
 * signer cannot accept gets a Failed condition instead, as upstream's.
 */
public final class CsrSigningController extends QueueController {
  private static final Logger LOG = LoggerFactory.getLogger(CsrSigningController.class);

  private final KubernetesClient client;
  private final SigningCa ca;
  private final SharedIndexInformer<CertificateSigningRequest> requests;

  public CsrSigningController(ControllerContext context, SigningCa ca) {
    super("csrsigning");
    this.client = context.client();
    this.ca = ca;
    this.requests = context.informers().of(CertificateSigningRequest.class);
    requests.addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), r -> {}));
  }

  @Override
  protected void reconcile(String key) throws GeneralSecurityException {
    CertificateSigningRequest csr = requests.getIndexer().getByKey(key);
    if (csr == null
        || !CsrConditions.has(csr, "Approved")
        || CsrConditions.has(csr, "Denied")
        || CsrConditions.has(csr, "Failed")
        || CsrConditions.issued(csr)) {
      return;
    }
    String signer = csr.getSpec().getSignerName();
    if (!KubeletCertificates.CLIENT_SIGNER.equals(signer)
        && !KubeletCertificates.SERVING_SIGNER.equals(signer)
        && !KubeletCertificates.API_CLIENT_SIGNER.equals(signer)) {
      return;
    }
    List<String> usages = csr.getSpec().getUsages() == null ? List.of() : csr.getSpec().getUsages();
    CertificateRequest request;
    try {
      request = CertificateRequest.parse(csr.getSpec().getRequest());
    } catch (CertificateRequest.Malformed e) {
      fail(csr, e.getMessage());
      return;
    }
    Optional<String> problem =
        switch (signer) {
          case KubeletCertificates.CLIENT_SIGNER ->
              KubeletCertificates.clientProblem(request, usages);
          case KubeletCertificates.SERVING_SIGNER ->
              KubeletCertificates.servingProblem(request, usages);
          default ->
              usages.contains("client auth") && !usages.contains("server auth")
                  ? Optional.empty()
                  : Optional.of("invalid usage for client certificate: " + usages);
        };
    if (problem.isPresent()) {
      fail(csr, problem.get());
      return;
    }
    Integer seconds = csr.getSpec().getExpirationSeconds();
    String pem = ca.issuePem(request, usages, seconds == null ? null : Duration.ofSeconds(seconds));
    CertificateSigningRequest signed = withStatus(csr);
    signed
        .getStatus()
        .setCertificate(
            Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)));
    client.certificates().v1().certificateSigningRequests().resource(signed).updateStatus();
    LOG.info("signed {} for {}", csr.getMetadata().getName(), request.commonName());
  }

  private void fail(CertificateSigningRequest csr, String message) {
    CertificateSigningRequest failed = withStatus(csr);
    failed
        .getStatus()
        .getConditions()
        .add(CsrConditions.condition("Failed", "SignerValidationFailure", message));
    client.certificates().v1().certificateSigningRequests().resource(failed).updateStatus();
    LOG.info("{} not signed: {}", csr.getMetadata().getName(), message);
  }

  /** A copy with a status and a mutable condition list, to write back. */
  private static CertificateSigningRequest withStatus(CertificateSigningRequest csr) {
    var copy =
        new io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder(csr)
            .build();
    if (copy.getStatus() == null) {
      copy.setStatus(new CertificateSigningRequestStatus());
    }
    copy.getStatus()
        .setConditions(
            copy.getStatus().getConditions() == null
                ? new ArrayList<>()
                : new ArrayList<>(copy.getStatus().getConditions()));
    return copy;
  }
}
