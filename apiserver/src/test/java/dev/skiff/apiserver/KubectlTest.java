package dev.skiff.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.testing.PlainKubeconfig;
import dev.skiff.apiserver.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real kubectl against the server over plain HTTP: it must print what upstream prints. */
class KubectlTest {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static TestServer s;
  private static Path dir;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed");
    s = new TestServer();
    dir = Files.createTempDirectory("kubectl-test");
    PlainKubeconfig.write(dir.resolve("kubeconfig"), s.url(), "default");
  }

  @AfterAll
  static void stop() throws IOException {
    if (s != null) {
      s.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  record Result(int exit, String out, String err) {}

  private static Result kubectl(String stdin, String... args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(KUBECTL.toString(), "--kubeconfig", dir.resolve("kubeconfig").toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    p.getOutputStream().close();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return new Result(p.exitValue(), Files.readString(out).trim(), Files.readString(err).trim());
  }

  @Test
  void configMapLifecycle() throws Exception {
    assertEquals("namespace/k1 created", kubectl(null, "create", "namespace", "k1").out());
    String cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: blue, size: \"1\"}\n";
    assertEquals("configmap/cfg created", kubectl(cm, "-n", "k1", "apply", "-f", "-").out());
    String cm2 = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: green}\n";
    assertEquals("configmap/cfg configured", kubectl(cm2, "-n", "k1", "apply", "-f", "-").out());
    assertEquals(
        "{\"color\":\"green\"}",
        kubectl(null, "-n", "k1", "get", "cm", "cfg", "-o", "jsonpath={.data}").out());
    assertEquals(
        "configmap/cfg patched",
        kubectl(null, "-n", "k1", "patch", "cm", "cfg", "-p", "{\"data\":{\"a\":\"1\"}}").out());
    Result missing = kubectl(null, "-n", "k1", "get", "cm", "x");
    assertEquals(1, missing.exit());
    assertEquals("Error from server (NotFound): configmaps \"x\" not found", missing.err());
    Result table = kubectl(null, "-n", "k1", "get", "cm");
    assertTrue(table.out().startsWith("NAME"), table.out());
    assertTrue(table.out().contains("cfg"), table.out());
    assertEquals(
        "configmap \"cfg\" deleted", kubectl(null, "-n", "k1", "delete", "cm", "cfg").out());
  }

  @Test
  void deploymentsAndDiscovery() throws Exception {
    kubectl(null, "create", "namespace", "k2");
    assertEquals(
        "deployment.apps/web created",
        kubectl(null, "-n", "k2", "create", "deployment", "web", "--image=busybox:1.35").out());
    assertEquals(
        "deployment.apps/web scaled",
        kubectl(null, "-n", "k2", "scale", "deployment", "web", "--replicas=3").out());
    assertEquals(
        "3",
        kubectl(null, "-n", "k2", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}").out());
    Result get = kubectl(null, "-n", "k2", "get", "deploy");
    assertTrue(
        get.out().matches("(?s)NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE.*web.*"), get.out());
    Result resources = kubectl(null, "api-resources", "-o", "name");
    assertTrue(resources.out().lines().anyMatch("deployments.apps"::equals), resources.err());
    Result version = kubectl(null, "version");
    assertTrue(version.out().contains("Server Version: v1.32.0-skiff"), version.out());
    assertTrue(!version.err().contains("skew"), version.err());
  }

  @Test
  void watchPrintsEvents() throws Exception {
    kubectl(null, "create", "namespace", "k3");
    Path out = dir.resolve("watch");
    Process w =
        new ProcessBuilder(
                KUBECTL.toString(),
                "--kubeconfig",
                dir.resolve("kubeconfig").toString(),
                "-n",
                "k3",
                "get",
                "cm",
                "-w",
                "--output-watch-events",
                "-o",
                "jsonpath={.type} {.object.metadata.name}{\"\\n\"}")
            .redirectOutput(out.toFile())
            .redirectErrorStream(true)
            .start();
    try {
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(
              () ->
                  s.store().list("/registry/configmaps/k3/", null, 0, 0).kvs().isEmpty()
                      && w.isAlive());
      kubectl(null, "-n", "k3", "create", "configmap", "w1");
      kubectl(null, "-n", "k3", "delete", "configmap", "w1");
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(20))
          .until(() -> Files.readString(out).contains("DELETED w1"));
      assertTrue(Files.readString(out).contains("ADDED w1"), Files.readString(out));
    } finally {
      w.destroy();
      w.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
