package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubectl commands that stream through the API server to the kubelet, against {@code skiff up}
 * as root: port-forward of two ports with several connections, cp both ways, attach -i, and debug
 * with an ephemeral container that sees its target's processes.
 */
class KubectlStreamsTest {
  private static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: box}
      spec:
        containers:
        - name: c
          image: busybox:1.35
          stdin: true
          command: [sh, -c, 'mkdir -p /a /b; echo one > /a/index.html; echo two > /b/index.html;
            httpd -p 8080 -h /a; httpd -p 9090 -h /b;
            while read l; do echo got:$l; done; sleep 3600']
      """;

  @TempDir Path tmp;

  @Test
  void portForwardCopyAttachAndDebugWork() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "runs containers: needs root");
    Path archive = BusyboxImage.archive();
    Path data = tmp.resolve("data");
    var kubectl = new Kubectl(data.resolve("kubeconfig.yaml"));
    try (var up = SkiffProcess.up(tmp.resolve("up.log"), data, SkiffProcess.freePort())) {
      try {
        up.awaitOutput(SkiffProcess.UP_READY, Duration.ofSeconds(120));
        SkiffProcess.importImage(archive, data);
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> kubectl.run("get", "serviceaccount", "default").exitCode() == 0);
        assertEquals(0, kubectl.runWithInput(POD, "apply", "-f", "-").exitCode());
        assertEquals(
            0,
            kubectl.run("wait", "--for=condition=Ready", "pod/box", "--timeout=120s").exitCode());

        portForward(data.resolve("kubeconfig.yaml"));
        copy(kubectl);
        attach(kubectl);
        debug(kubectl);
      } finally {
        up.stop();
        SkiffProcess.reset(data);
      }
    }
  }

  private void portForward(Path kubeconfig) throws Exception {
    int a = SkiffProcess.freePort();
    int b = SkiffProcess.freePort();
    Process pf =
        new ProcessBuilder(
                "kubectl",
                "--kubeconfig",
                kubeconfig.toString(),
                "port-forward",
                "pod/box",
                a + ":8080",
                b + ":9090")
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("port-forward.log").toFile())
            .start();
    try {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(a).equals("one\n"));
      for (int i = 0; i < 5; i++) {
        assertEquals("one\n", get(a));
        assertEquals("two\n", get(b));
      }
      assertTrue(pf.isAlive(), Files.readString(tmp.resolve("port-forward.log")));
    } finally {
      pf.destroy();
      pf.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** One request on a connection of its own: each is a new stream pair through the forward. */
  private static String get(int port) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  private void copy(Kubectl kubectl) throws Exception {
    byte[] content = new byte[300_000];
    new Random(7).nextBytes(content);
    Path local = tmp.resolve("blob");
    Files.write(local, content);
    var up = kubectl.run("cp", local.toString(), "default/box:/tmp/blob", "-c", "c");
    assertEquals(0, up.exitCode(), up.output());
    Path back = tmp.resolve("back");
    var down = kubectl.run("cp", "default/box:/tmp/blob", back.toString(), "-c", "c");
    assertEquals(0, down.exitCode(), down.output());
    assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(back)), "copied bytes differ");
  }

  private void attach(Kubectl kubectl) throws Exception {
    for (String word : List.of("first", "second")) {
      Process p =
          new ProcessBuilder(
                  "kubectl",
                  "--kubeconfig",
                  kubectl.kubeconfig().toString(),
                  "attach",
                  "-i",
                  "box",
                  "-c",
                  "c")
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().write((word + "\n").getBytes());
      p.getOutputStream().flush();
      InputStream out = p.getInputStream();
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> kubectl.run("logs", "box", "-c", "c").output().contains("got:" + word));
      } finally {
        p.destroy();
        p.waitFor(30, TimeUnit.SECONDS);
        out.close();
      }
    }
  }

  private void debug(Kubectl kubectl) throws Exception {
    var started =
        kubectl.run(
            "debug", "box", "--image=busybox:1.35", "--target=c", "--container=dbg", "--", "ps");
    assertEquals(0, started.exitCode(), started.output());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "0"
                    .equals(
                        kubectl
                            .run(
                                "get",
                                "pod",
                                "box",
                                "-o",
                                "jsonpath={.status.ephemeralContainerStatuses[0]"
                                    + ".state.terminated.exitCode}")
                            .output()));
    String ps = kubectl.run("logs", "box", "-c", "dbg").output();
    assertTrue(ps.contains("httpd -p 8080"), "the target's processes are visible:\n" + ps);
  }
}
