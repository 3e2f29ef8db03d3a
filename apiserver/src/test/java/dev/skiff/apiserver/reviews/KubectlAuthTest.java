package dev.skiff.apiserver.reviews;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.auth.SecureServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code kubectl auth can-i} and {@code kubectl auth whoami} with the real kubectl over TLS. */
class KubectlAuthTest {
  private static SecureServer server;
  private static Path admin;
  private static Path alice;

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    admin = server.kubeconfig("admin", "admin", null);
    alice = server.kubeconfig("alice", "alice", null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static SecureServer.Result kubectl(Path config, String... args) throws Exception {
    return server.kubectl(config, args);
  }

  @Test
  void whoamiShowsTheAdmin() throws Exception {
    SecureServer.Result r =
        kubectl(
            admin,
            "auth",
            "whoami",
            "-o",
            "jsonpath={.status.userInfo.username} {.status.userInfo.groups}");
    assertEquals(0, r.exit(), r.output());
    assertEquals("skiff-admin [\"system:masters\",\"system:authenticated\"]", r.output().trim());
    SecureServer.Result table = kubectl(alice, "auth", "whoami");
    assertTrue(table.output().contains("alice"), table.output());
  }

  @Test
  void canIAnswersForImpersonatedServiceAccount() throws Exception {
    SecureServer.Result r =
        kubectl(
            admin, "auth", "can-i", "--as=system:serviceaccount:default:default", "create", "pods");
    assertEquals(1, r.exit(), r.output());
    assertEquals("no", r.output().trim());
    SecureServer.Result yes = kubectl(admin, "auth", "can-i", "create", "pods");
    assertEquals(0, yes.exit(), yes.output());
    assertEquals("yes", yes.output().trim());
  }

  @Test
  void canIFollowsRoleBindings() throws Exception {
    assertEquals(
        0,
        kubectl(admin, "create", "rolebinding", "alice-edit", "--clusterrole=edit", "--user=alice")
            .exit());
    org.awaitility.Awaitility.await()
        .until(
            () ->
                kubectl(alice, "auth", "can-i", "create", "deployments")
                    .output()
                    .trim()
                    .equals("yes"));
    assertEquals("no", kubectl(alice, "auth", "can-i", "create", "roles").output().trim());
    assertEquals(
        "no",
        kubectl(alice, "auth", "can-i", "create", "deployments", "-n", "kube-system")
            .output()
            .trim());
    SecureServer.Result list = kubectl(alice, "auth", "can-i", "--list");
    assertEquals(0, list.exit(), list.output());
    assertTrue(list.output().contains("deployments.apps"), list.output());
    assertTrue(
        list.output().contains("selfsubjectaccessreviews.authorization.k8s.io"), list.output());
    SecureServer.Result forbidden = kubectl(alice, "get", "secrets", "-n", "kube-system");
    assertTrue(
        forbidden
            .output()
            .contains(
                "secrets is forbidden: User \"alice\" cannot list resource \"secrets\" in API group"
                    + " \"\" in the namespace \"kube-system\""),
        forbidden.output());
    kubectl(admin, "delete", "rolebinding", "alice-edit");
  }

  @Test
  void namespaceAdminCannotGrantWhatItDoesNotHold() throws Exception {
    assertEquals(0, kubectl(admin, "create", "namespace", "esc").exit());
    assertEquals(
        0,
        kubectl(
                admin,
                "create",
                "rolebinding",
                "alice-admin",
                "--clusterrole=admin",
                "--user=alice",
                "-n",
                "esc")
            .exit());
    org.awaitility.Awaitility.await()
        .until(
            () ->
                kubectl(alice, "auth", "can-i", "create", "rolebindings", "-n", "esc")
                    .output()
                    .trim()
                    .equals("yes"));
    SecureServer.Result escalate =
        kubectl(
            alice,
            "create",
            "rolebinding",
            "mine",
            "--clusterrole=cluster-admin",
            "--user=alice",
            "-n",
            "esc");
    assertTrue(escalate.exit() != 0, escalate.output());
    assertTrue(
        escalate.output().contains("is attempting to grant RBAC permissions not currently held"),
        escalate.output());
    SecureServer.Result view =
        kubectl(
            alice,
            "create",
            "rolebinding",
            "bob-view",
            "--clusterrole=view",
            "--user=bob",
            "-n",
            "esc");
    assertEquals(0, view.exit(), view.output());
    assertEquals(
        0,
        kubectl(alice, "create", "role", "pod-reader", "--verb=get", "--resource=pods", "-n", "esc")
            .exit());
    SecureServer.Result nodes =
        kubectl(
            alice, "create", "role", "node-reader", "--verb=get", "--resource=nodes", "-n", "esc");
    assertTrue(nodes.output().contains("not currently held"), nodes.output());
    kubectl(admin, "delete", "namespace", "esc", "--wait=false");
  }
}
