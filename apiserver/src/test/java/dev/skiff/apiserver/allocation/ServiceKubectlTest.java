package dev.skiff.apiserver.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.testing.TestKubectl;
import dev.skiff.apiserver.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code kubectl get svc} prints once Services get their IPs and ports. */
class ServiceKubectlTest {
  private TestServer s;
  private Path dir;
  private TestKubectl kubectl;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(TestKubectl.installed(), "kubectl is not installed");
    s = new TestServer();
    dir = Files.createTempDirectory("svc-kubectl");
    kubectl = new TestKubectl(dir, s.url(), "default");
  }

  @AfterEach
  void stop() throws IOException {
    if (s != null) {
      s.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  void getSvcShowsClusterIpAndNodePorts() throws Exception {
    assertEquals(
        "service/web created", kubectl.ok("create", "service", "nodeport", "web", "--tcp=80:8080"));
    assertEquals(
        "service/db created",
        kubectl.ok("create", "service", "clusterip", "db", "--tcp=5432:5432"));
    assertEquals(
        "service/h created",
        kubectl.ok("create", "service", "clusterip", "h", "--clusterip=None", "--tcp=80:80"));
    String table = kubectl.ok("get", "svc", "web", "db", "h");
    String[] lines = table.split("\n");
    assertTrue(
        lines[0].matches("NAME\\s+TYPE\\s+CLUSTER-IP\\s+EXTERNAL-IP\\s+PORT\\(S\\)\\s+AGE"), table);
    assertTrue(
        lines[1].matches(
            "web\\s+NodePort\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+80:3\\d{4}/TCP\\s+\\S+"),
        table);
    assertTrue(
        lines[2].matches("db\\s+ClusterIP\\s+10\\.43\\.\\d+\\.\\d+\\s+<none>\\s+5432/TCP\\s+\\S+"),
        table);
    assertTrue(lines[3].matches("h\\s+ClusterIP\\s+None\\s+<none>\\s+80/TCP\\s+\\S+"), table);
  }
}
