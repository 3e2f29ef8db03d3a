package dev.skiff.apiserver.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.testing.PlainKubeconfig;
import dev.skiff.apiserver.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@code kubectl get svc} prints once Services get their IPs and ports. */
class ServiceKubectlTest {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private TestServer s;
  private Path dir;

  @BeforeEach
  void start() throws IOException {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    s = new TestServer();
    dir = Files.createTempDirectory("svc-kubectl");
    PlainKubeconfig.write(dir.resolve("kubeconfig"), s.url(), "default");
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

  private String kubectl(String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(KUBECTL.toString(), "--kubeconfig", dir.resolve("kubeconfig").toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectErrorStream(true);
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    String text = Files.readString(out).trim();
    assertEquals(0, p.exitValue(), text);
    return text;
  }

  @Test
  void getSvcShowsClusterIpAndNodePorts() throws Exception {
    assertEquals(
        "service/web created", kubectl("create", "service", "nodeport", "web", "--tcp=80:8080"));
    assertEquals(
        "service/db created", kubectl("create", "service", "clusterip", "db", "--tcp=5432:5432"));
    assertEquals(
        "service/h created",
        kubectl("create", "service", "clusterip", "h", "--clusterip=None", "--tcp=80:80"));
    String table = kubectl("get", "svc", "web", "db", "h");
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
