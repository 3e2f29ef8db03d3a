package dev.skiff.cli.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.cli.UserError;
import dev.skiff.cli.cluster.ControlPlane;
import dev.skiff.cli.kubeconfig.Kubeconfig;
import dev.skiff.cli.pki.CertificateAuthority;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.cli.pki.Pem;
import dev.skiff.cli.testing.SkiffRun;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node joins an in-process control plane with a token from {@code skiff token create}: the CA is
 * pinned by the token's hash, the bootstrap token earns a client certificate for {@code
 * system:node:<name>} through an automatically approved CSR, the node earns its serving
 * certificate, and a wrong token or hash is refused with one sentence.
 */
class AgentJoinTest {
  @TempDir static Path serverDir;
  private static ControlPlane plane;
  private static URI server;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    ClusterPki pki = ClusterPki.loadOrCreate(serverDir);
    plane =
        ControlPlane.start(
            new ControlPlane.Settings(
                serverDir,
                "127.0.0.1",
                0,
                "",
                null,
                null,
                null,
                List.of(),
                "",
                5,
                serverDir.resolve("snapshots")),
            pki);
    server = URI.create("https://127.0.0.1:" + plane.apiPort());
    new Kubeconfig(
            "skiff",
            server.toString(),
            pki,
            pki.client("admin", "system:admin", List.of("system:masters")))
        .write(serverDir.resolve("kubeconfig.yaml"));
    token =
        SkiffRun.ok("token", "create", "--ttl", "1h", "--data-dir", serverDir.toString()).trim();
  }

  @AfterAll
  static void stop() throws Exception {
    if (plane != null) {
      plane.close();
    }
  }

  private static AgentIdentity.Request request(String node, String withToken) {
    return new AgentIdentity.Request(
        server, withToken, null, node, "127.0.0.1", List.of(node), Duration.ofMinutes(2));
  }

  private static KubernetesClient admin() throws Exception {
    return new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(Files.readString(serverDir.resolve("kubeconfig.yaml"))))
        .build();
  }

  @Test
  void tokenEarnsTheNodesOwnCertificatesWhichARestartReuses(@TempDir Path agentDir)
      throws Exception {
    AgentIdentity identity = AgentIdentity.obtain(agentDir, request("node-a", token));
    try (KubernetesClient node = identity.kubelet("node-a")) {
      String review =
          node.raw(
              server + "/apis/authentication.k8s.io/v1/selfsubjectreviews",
              "POST",
              "{\"apiVersion\":\"authentication.k8s.io/v1\",\"kind\":\"SelfSubjectReview\"}");
      assertTrue(review.contains("\"username\":\"system:node:node-a\""), review);
      assertTrue(review.contains("system:nodes"), review);
      // The node may register itself and gets a pod range from node IPAM.
      String cidr = PodCidrAssignment.await(node, "node-a", Duration.ofMinutes(1));
      assertTrue(cidr.matches("10\\.42\\.\\d+\\.0/24"), cidr);
    }

    X509Certificate ca = Pem.readCertificate(serverDir.resolve("tls/ca.crt"));
    X509Certificate serving = Pem.readCertificate(agentDir.resolve("agent/serving.crt"));
    serving.verify(ca.getPublicKey());
    assertTrue(
        serving.getSubjectAlternativeNames().stream().anyMatch(n -> n.get(1).equals("127.0.0.1")));
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), serving.getExtendedKeyUsage());
    assertTrue(
        Files.readString(agentDir.resolve("agent/kubeconfig.yaml")).contains(server.toString()));

    try (KubernetesClient admin = admin()) {
      String tokenId = token.substring(token.indexOf("::") + 2, token.indexOf("::") + 8);
      List<CertificateSigningRequest> csrs =
          admin.certificates().v1().certificateSigningRequests().list().getItems();
      // The client certificate was asked for with the token, the serving one as the node.
      assertEquals(
          List.of(
              "kubernetes.io/kube-apiserver-client-kubelet system:bootstrap:" + tokenId,
              "kubernetes.io/kubelet-serving system:node:node-a"),
          csrs.stream()
              .filter(
                  c ->
                      c.getSpec().getUsername().equals("system:node:node-a")
                          || c.getSpec().getUsername().startsWith("system:bootstrap:"))
              .map(c -> c.getSpec().getSignerName() + " " + c.getSpec().getUsername())
              .sorted()
              .toList());
      assertTrue(
          csrs.stream()
              .allMatch(
                  c -> c.getStatus().getConditions().get(0).getReason().equals("AutoApproved")));
    }

    X509Certificate client = Pem.readCertificate(agentDir.resolve("agent/client.crt"));
    AgentIdentity.obtain(agentDir, request("node-a", null));
    assertEquals(
        client.getSerialNumber(),
        Pem.readCertificate(agentDir.resolve("agent/client.crt")).getSerialNumber());
  }

  @Test
  void aClientCertificateNearExpiryIsRenewedByTheNodeItselfWithoutTheToken(@TempDir Path agentDir)
      throws Exception {
    // A node that joined earlier and whose certificate has a day left.
    var ca = CertificateAuthority.loadOrCreate(serverDir.resolve("tls"), "ca", "skiff-ca");
    var old =
        ca.issue(
            "system:node:node-r",
            List.of("system:nodes"),
            List.of(),
            List.of(),
            false,
            Duration.ofDays(1));
    Path dir = Files.createDirectories(agentDir.resolve("agent"));
    Files.writeString(dir.resolve("ca.crt"), Pem.encode(ca.certificate()));
    Files.writeString(dir.resolve("client.crt"), Pem.encode(old.certificate()));
    Files.writeString(dir.resolve("client.key"), Pem.encode(old.key()));
    Files.writeString(dir.resolve("server"), server + "\n");

    AgentIdentity.obtain(agentDir, request("node-r", null));

    X509Certificate renewed = Pem.readCertificate(dir.resolve("client.crt"));
    assertTrue(renewed.getNotAfter().after(old.certificate().getNotAfter()));
    assertEquals(old.certificate().getSubjectX500Principal(), renewed.getSubjectX500Principal());
    try (KubernetesClient admin = admin()) {
      var selfRenewal =
          admin.certificates().v1().certificateSigningRequests().list().getItems().stream()
              .filter(
                  c ->
                      c.getSpec().getSignerName().equals(CertificateRequests.CLIENT_SIGNER)
                          && c.getSpec().getUsername().equals("system:node:node-r"))
              .toList();
      assertEquals(1, selfRenewal.size(), selfRenewal.toString());
      assertEquals(
          "Auto approving self kubelet client certificate after SubjectAccessReview.",
          selfRenewal.get(0).getStatus().getConditions().get(0).getMessage());
    }
  }

  @Test
  void unknownTokenIsRefusedInOneSentence(@TempDir Path agentDir) throws Exception {
    String forged = token.substring(0, token.indexOf("::") + 2) + "abcdef.0123456789abcdef";
    UserError e =
        assertThrows(
            UserError.class, () -> AgentIdentity.obtain(agentDir, request("node-b", forged)));
    assertTrue(e.getMessage().startsWith("the server refused the join token"), e.getMessage());
  }

  @Test
  void wrongCaHashIsRefusedBeforeTheTokenIsSent(@TempDir Path agentDir) throws Exception {
    String wrongHash = "K10" + "0".repeat(64) + token.substring(token.indexOf("::"));
    UserError e =
        assertThrows(
            UserError.class, () -> AgentIdentity.obtain(agentDir, request("node-c", wrongHash)));
    assertTrue(e.getMessage().contains("but the token expects sha256:" + "0".repeat(64)));
    assertTrue(e.getMessage().contains("refusing to join"), e.getMessage());
    assertTrue(!Files.exists(agentDir.resolve("agent/client.crt")));
  }
}
