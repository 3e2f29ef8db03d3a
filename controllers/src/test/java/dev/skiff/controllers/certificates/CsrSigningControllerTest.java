package dev.skiff.controllers.certificates;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CsrSigningControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private SigningCa ca;

  @BeforeEach
  void start() throws Exception {
    ca = TestRequests.ca();
    cluster = new TestCluster();
    client = cluster.client();
    cluster.start(c -> new CsrSigningController(c, ca));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private CertificateSigningRequest submit(
      String name, String request, String signer, List<String> usages) {
    return client
        .resource(
            new CertificateSigningRequestBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withRequest(request)
                .withSignerName(signer)
                .withUsages(usages)
                .withExpirationSeconds(3600)
                .endSpec()
                .build())
        .create();
  }

  private void approve(String name) {
    client
        .certificates()
        .v1()
        .certificateSigningRequests()
        .withName(name)
        .approve(CsrConditions.condition("Approved", "Test", "approved by the test"));
  }

  private CertificateSigningRequest get(String name) {
    return client.certificates().v1().certificateSigningRequests().withName(name).get();
  }

  @Test
  void approvedServingRequestIsSignedByTheClusterCaWithItsNamesAndUsages() throws Exception {
    KeyPair key = TestRequests.keyPair();
    submit(
        "serving",
        TestRequests.request(key, "system:node:n1", List.of("system:nodes"), List.of("10.0.0.7")),
        KubeletCertificates.SERVING_SIGNER,
        List.of("digital signature", "server auth"));
    approve("serving");

    await().atMost(Duration.ofSeconds(30)).until(() -> CsrConditions.issued(get("serving")));
    byte[] pem = Base64.getDecoder().decode(get("serving").getStatus().getCertificate());
    X509Certificate cert =
        (X509Certificate)
            CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem));
    cert.verify(ca.certificate().getPublicKey());
    assertEquals(key.getPublic(), cert.getPublicKey());
    assertTrue(cert.getSubjectX500Principal().getName().contains("CN=system:node:n1"));
    assertTrue(cert.getSubjectX500Principal().getName().contains("O=system:nodes"));
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
    assertEquals(
        List.of(List.of(7, "10.0.0.7")),
        cert.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
    long minutes =
        Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant())
            .toMinutes();
    // expirationSeconds (1 h) plus the five-minute backdate.
    assertEquals(65, minutes);
  }

  @Test
  void approvedClientRequestForAnotherSubjectFailsInsteadOfBeingSigned() throws Exception {
    submit(
        "impostor",
        TestRequests.request(
            TestRequests.keyPair(), "system:admin", List.of("system:masters"), List.of()),
        KubeletCertificates.CLIENT_SIGNER,
        List.of("digital signature", "client auth"));
    approve("impostor");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> CsrConditions.has(get("impostor"), "Failed"));
    CertificateSigningRequest csr = get("impostor");
    assertTrue(!CsrConditions.issued(csr));
    var failed =
        csr.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Failed"))
            .findFirst()
            .orElseThrow();
    assertEquals("SignerValidationFailure", failed.getReason());
    assertEquals("subject organization is not system:nodes", failed.getMessage());
  }
}
