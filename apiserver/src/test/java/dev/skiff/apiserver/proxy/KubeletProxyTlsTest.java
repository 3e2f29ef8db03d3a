package dev.skiff.apiserver.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.auth.SecureServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kubelet proxy behind TLS (HTTP/2 offered by ALPN) and access control, as {@code skiff up}
 * serves it: kubectl's logs and exec reach the kubelet only for users allowed to use them.
 */
class KubeletProxyTlsTest {
  private static SecureServer sec;
  private static StandInKubelet kubelet;
  private static Path dir;
  private static Path admin;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl is not installed");
    dir = Files.createTempDirectory("kubelet-proxy-tls-test");
    kubelet = new StandInKubelet(dir);
    sec = SecureServer.start();
    admin = sec.kubeconfig("admin", "admin", null);
    Path node = dir.resolve("node.yaml");
    Files.writeString(
        node,
        "apiVersion: v1\nkind: Node\nmetadata: {name: node-a}\n---\n"
            // ServiceAccount admission needs the account the service-account controller makes.
            + "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: default}\n---\n"
            + "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: default}\n"
            + "spec: {nodeName: node-a, containers: [{name: app, image: x}]}\n");
    ok(sec.kubectl(admin, "create", "-f", node.toString()));
    ok(
        sec.kubectl(
            admin,
            "patch",
            "node",
            "node-a",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
                + kubelet.port()
                + "}}}}"));
    ok(
        sec.kubectl(
            admin,
            "patch",
            "pod",
            "web",
            "--subresource=status",
            "--type=merge",
            "-p",
            "{\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"app\","
                + "\"image\":\"x\",\"imageID\":\"\",\"ready\":true,\"restartCount\":0,"
                + "\"state\":{\"running\":{}}}]}}"));
  }

  private static void ok(SecureServer.Result r) {
    assertEquals(0, r.exit(), r.output());
  }

  @AfterAll
  static void stop() throws Exception {
    if (sec != null) {
      sec.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void logsAndExecWorkOverTls() throws Exception {
    SecureServer.Result logs = sec.kubectl(admin, "logs", "web");
    assertEquals(0, logs.exit(), logs.output());
    assertEquals("first line\n", logs.output());
    SecureServer.Result exec = sec.kubectl(admin, "exec", "web", "--", "echo", "over", "tls");
    assertEquals(0, exec.exit(), exec.output());
    assertEquals("over tls\n", exec.output());
  }

  @Test
  void aUserWithoutExecRightsNeverReachesTheKubelet() throws Exception {
    kubelet.requests.clear();
    SecureServer.Result r =
        sec.kubectl(sec.kubeconfig("alice", "alice", null), "exec", "web", "--", "echo", "hi");
    assertEquals(1, r.exit(), r.output());
    assertTrue(r.output().contains("Forbidden"), r.output());
    assertEquals(null, kubelet.requests.poll());
  }
}
