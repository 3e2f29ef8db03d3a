package dev.skiff.apiserver.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CertificateSigningRequests over real TLS with the real kubectl: the server records who asked,
 * whatever the body claims, and approving needs the {@code approve} verb on the signer, as
 * upstream's CertificateApproval admission.
 */
class CertificateApprovalTest {
  private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";
  private static final String ROLES = "/apis/rbac.authorization.k8s.io/v1/clusterroles";
  private static SecureServer server;
  private static HttpClient admin;
  private static Path aliceConfig;

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    admin = server.client("admin");
    aliceConfig = server.kubeconfig("alice", "alice", null);
    assertEquals(201, server.send(admin, "POST", ROLES, null, role(false)).code());
    assertEquals(
        201,
        server
            .send(
                admin,
                "POST",
                "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                null,
                """
                {"metadata": {"name": "csr-approver"},
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                             "name": "csr-approver"},
                 "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                               "name": "alice"}]}
                """)
            .code());
  }

  @AfterAll
  static void stop() throws Exception {
    admin.shutdownNow();
    server.close();
  }

  /** May read, create and write approvals of requests; with {@code signer}, approve for it. */
  private static String role(boolean signer) {
    return """
        {"metadata": {"name": "csr-approver"},
         "rules": [
           {"apiGroups": ["certificates.k8s.io"], "resources": ["certificatesigningrequests"],
            "verbs": ["get", "list", "create"]},
           {"apiGroups": ["certificates.k8s.io"],
            "resources": ["certificatesigningrequests/approval"], "verbs": ["update"]}%s]}
        """
        .formatted(
            signer
                ? """
                  ,
                  {"apiGroups": ["certificates.k8s.io"], "resources": ["signers"],
                   "resourceNames": ["example.com/*"], "verbs": ["approve"]}
                  """
                : "");
  }

  @Test
  void requesterIsRecordedAndApprovalNeedsTheSignersApproveVerb() throws Exception {
    String request =
        Base64.getEncoder()
            .encodeToString(
                "-----BEGIN CERTIFICATE REQUEST-----\nMA==\n-----END CERTIFICATE REQUEST-----\n"
                    .getBytes(StandardCharsets.US_ASCII));
    var created =
        server.kubectl(
            aliceConfig,
            "create",
            "-f",
            writeManifest(
                """
                apiVersion: certificates.k8s.io/v1
                kind: CertificateSigningRequest
                metadata: {name: from-alice}
                spec:
                  request: %s
                  signerName: example.com/signer
                  usages: [client auth]
                  username: system:admin
                  groups: [system:masters]
                """
                    .formatted(request)));
    assertEquals(0, created.exit(), created.output());
    var stored = server.send(admin, "GET", CSRS + "/from-alice", null, null).json().path("spec");
    assertEquals("alice", stored.path("username").asText());
    assertEquals("[\"devs\",\"system:authenticated\"]", stored.path("groups").toString());

    var refused = server.kubectl(aliceConfig, "certificate", "approve", "from-alice");
    assertTrue(
        refused
            .output()
            .contains(
                "certificatesigningrequests.certificates.k8s.io \"from-alice\" is forbidden: user"
                    + " not permitted to approve requests with signerName \"example.com/signer\""),
        refused.output());

    assertEquals(200, server.send(admin, "PUT", ROLES + "/csr-approver", null, role(true)).code());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> server.kubectl(aliceConfig, "certificate", "approve", "from-alice").exit() == 0);
    var status = server.send(admin, "GET", CSRS + "/from-alice", null, null).json().path("status");
    assertEquals("Approved", status.path("conditions").path(0).path("type").asText());
    assertEquals("", status.path("certificate").asText(), "approval writes no certificate");
  }

  private static String writeManifest(String yaml) throws Exception {
    Path file = java.nio.file.Files.createTempFile("csr", ".yaml");
    java.nio.file.Files.writeString(file, yaml);
    file.toFile().deleteOnExit();
    return file.toString();
  }
}
