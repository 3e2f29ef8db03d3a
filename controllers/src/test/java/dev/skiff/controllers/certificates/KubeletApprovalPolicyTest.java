package dev.skiff.controllers.certificates;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpecBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The approval decisions, with RBAC as the bootstrap policy grants it: bootstrap tokens may ask for
 * node client certificates, nodes may renew their own.
 */
class KubeletApprovalPolicyTest {
  private static final String BOOTSTRAPPER = "system:bootstrap:abc123";
  private static final List<String> BOOTSTRAP_GROUPS =
      List.of("system:bootstrappers", "system:authenticated");
  private static final List<String> NODE_GROUPS = List.of("system:nodes", "system:authenticated");
  private static final List<String> CLIENT = List.of("digital signature", "client auth");
  private static final List<String> SERVING = List.of("digital signature", "server auth");

  private final Map<String, Set<String>> registered = Map.of("node-b", Set.of("10.0.0.2"));
  private final KubeletApprovalPolicy policy =
      new KubeletApprovalPolicy(
          (spec, sub) ->
              switch (sub) {
                case "nodeclient" -> spec.getGroups().contains("system:bootstrappers");
                case "selfnodeclient" -> spec.getGroups().contains("system:nodes");
                default -> false;
              },
          name -> Optional.ofNullable(registered.get(name)));

  private static CertificateSigningRequestSpec spec(
      String signer, String user, List<String> groups, List<String> usages, String request) {
    return new CertificateSigningRequestSpecBuilder()
        .withSignerName(signer)
        .withUsername(user)
        .withGroups(groups)
        .withUsages(usages)
        .withRequest(request)
        .build();
  }

  private Optional<String> decide(
      String signer,
      String user,
      List<String> groups,
      List<String> usages,
      String cn,
      List<String> orgs,
      List<String> ips)
      throws Exception {
    String pem = TestRequests.request(TestRequests.keyPair(), cn, orgs, ips);
    return policy.approval(spec(signer, user, groups, usages, pem), CertificateRequest.parse(pem));
  }

  @Test
  void bootstrapTokenGetsANodeClientCertificate() throws Exception {
    assertEquals(
        Optional.of("Auto approving kubelet client certificate after SubjectAccessReview."),
        decide(
            KubeletCertificates.CLIENT_SIGNER,
            BOOTSTRAPPER,
            BOOTSTRAP_GROUPS,
            CLIENT,
            "system:node:node-a",
            List.of("system:nodes"),
            List.of()));
  }

  @Test
  void nodeRenewsItsOwnClientCertificateButNoOtherNodes() throws Exception {
    assertEquals(
        Optional.of("Auto approving self kubelet client certificate after SubjectAccessReview."),
        decide(
            KubeletCertificates.CLIENT_SIGNER,
            "system:node:node-a",
            NODE_GROUPS,
            CLIENT,
            "system:node:node-a",
            List.of("system:nodes"),
            List.of()));
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.CLIENT_SIGNER,
            "system:node:node-a",
            NODE_GROUPS,
            CLIENT,
            "system:node:node-b",
            List.of("system:nodes"),
            List.of()));
  }

  @Test
  void clientRequestsForOtherSubjectsOrUsagesWaitForAHuman() throws Exception {
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.CLIENT_SIGNER,
            BOOTSTRAPPER,
            BOOTSTRAP_GROUPS,
            CLIENT,
            "system:node:node-a",
            List.of("system:masters"),
            List.of()));
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.CLIENT_SIGNER,
            BOOTSTRAPPER,
            BOOTSTRAP_GROUPS,
            SERVING,
            "system:node:node-a",
            List.of("system:nodes"),
            List.of()));
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.API_CLIENT_SIGNER,
            BOOTSTRAPPER,
            BOOTSTRAP_GROUPS,
            CLIENT,
            "system:node:node-a",
            List.of("system:nodes"),
            List.of()));
  }

  @Test
  void servingCertificateOnlyForTheNodeItselfAndItsOwnAddresses() throws Exception {
    String message = "Auto approving self kubelet serving certificate.";
    // Not registered yet: the first serving certificate of a joining node.
    assertEquals(
        Optional.of(message),
        decide(
            KubeletCertificates.SERVING_SIGNER,
            "system:node:node-a",
            NODE_GROUPS,
            SERVING,
            "system:node:node-a",
            List.of("system:nodes"),
            List.of("10.0.0.1")));
    assertEquals(
        Optional.of(message),
        decide(
            KubeletCertificates.SERVING_SIGNER,
            "system:node:node-b",
            NODE_GROUPS,
            SERVING,
            "system:node:node-b",
            List.of("system:nodes"),
            List.of("10.0.0.2")));
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.SERVING_SIGNER,
            "system:node:node-b",
            NODE_GROUPS,
            SERVING,
            "system:node:node-b",
            List.of("system:nodes"),
            List.of("10.0.0.99")));
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.SERVING_SIGNER,
            "system:node:node-a",
            NODE_GROUPS,
            SERVING,
            "system:node:node-b",
            List.of("system:nodes"),
            List.of("10.0.0.2")));
    assertEquals(
        Optional.empty(),
        decide(
            KubeletCertificates.SERVING_SIGNER,
            BOOTSTRAPPER,
            BOOTSTRAP_GROUPS,
            SERVING,
            "system:node:node-a",
            List.of("system:nodes"),
            List.of("10.0.0.1")));
  }
}
