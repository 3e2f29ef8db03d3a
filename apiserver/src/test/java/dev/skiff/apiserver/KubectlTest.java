package dev.skiff.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.apiserver.testing.TestKubectl;
import dev.skiff.apiserver.testing.TestKubectl.Result;
import dev.skiff.apiserver.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real kubectl against the server over plain HTTP: it must print what upstream prints. */
class KubectlTest {
  private static TestServer s;
  private static Path dir;
  private static TestKubectl kubectl;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(TestKubectl.installed(), "kubectl is not installed");
    s = new TestServer();
    dir = Files.createTempDirectory("kubectl-test");
    kubectl = new TestKubectl(dir, s.url(), "default");
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

  @Test
  void configMapLifecycle() throws Exception {
    assertEquals("namespace/k1 created", kubectl.run(null, "create", "namespace", "k1").out());
    String cm =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: blue, size: \"1\"}\n";
    assertEquals("configmap/cfg created", kubectl.run(cm, "-n", "k1", "apply", "-f", "-").out());
    String cm2 = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {color: green}\n";
    assertEquals(
        "configmap/cfg configured", kubectl.run(cm2, "-n", "k1", "apply", "-f", "-").out());
    assertEquals(
        "{\"color\":\"green\"}",
        kubectl.run(null, "-n", "k1", "get", "cm", "cfg", "-o", "jsonpath={.data}").out());
    assertEquals(
        "configmap/cfg patched",
        kubectl
            .run(null, "-n", "k1", "patch", "cm", "cfg", "-p", "{\"data\":{\"a\":\"1\"}}")
            .out());
    Result missing = kubectl.run(null, "-n", "k1", "get", "cm", "x");
    assertEquals(1, missing.exit());
    assertEquals("Error from server (NotFound): configmaps \"x\" not found", missing.err());
    Result table = kubectl.run(null, "-n", "k1", "get", "cm");
    assertTrue(table.out().startsWith("NAME"), table.out());
    assertTrue(table.out().contains("cfg"), table.out());
    assertEquals(
        "configmap \"cfg\" deleted", kubectl.run(null, "-n", "k1", "delete", "cm", "cfg").out());
  }

  @Test
  void deploymentsAndDiscovery() throws Exception {
    kubectl.run(null, "create", "namespace", "k2");
    assertEquals(
        "deployment.apps/web created",
        kubectl.run(null, "-n", "k2", "create", "deployment", "web", "--image=busybox:1.35").out());
    assertEquals(
        "deployment.apps/web scaled",
        kubectl.run(null, "-n", "k2", "scale", "deployment", "web", "--replicas=3").out());
    assertEquals(
        "3",
        kubectl
            .run(null, "-n", "k2", "get", "deploy", "web", "-o", "jsonpath={.spec.replicas}")
            .out());
    Result get = kubectl.run(null, "-n", "k2", "get", "deploy");
    assertTrue(
        get.out().matches("(?s)NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE.*web.*"), get.out());
    Result resources = kubectl.run(null, "api-resources", "-o", "name");
    assertTrue(resources.out().lines().anyMatch("deployments.apps"::equals), resources.err());
    Result version = kubectl.run(null, "version");
    assertTrue(version.out().contains("Server Version: v1.32.0-skiff"), version.out());
    assertTrue(!version.err().contains("skew"), version.err());
  }

  @Test
  void watchPrintsEvents() throws Exception {
    kubectl.run(null, "create", "namespace", "k3");
    Path out = dir.resolve("watch");
    Process w =
        kubectl
            .command(
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
      kubectl.run(null, "-n", "k3", "create", "configmap", "w1");
      kubectl.run(null, "-n", "k3", "delete", "configmap", "w1");
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
