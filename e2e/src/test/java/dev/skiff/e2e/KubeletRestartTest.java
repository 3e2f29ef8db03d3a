package dev.skiff.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose {@code skiff up} process crashes (SIGKILL) and starts again: running containers are
 * left running with the same IDs and restart counts, and what happened to them while nobody watched
 * is reported.
 */
class KubeletRestartTest {
  private static final String PODS =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: keep}
      spec:
        containers:
        - name: c
          image: busybox:1.35
          command: [sh, -c, 'echo started; sleep 3600']
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: quit}
      spec:
        restartPolicy: Never
        volumes:
        - name: flag
          hostPath: {path: FLAG_DIR, type: Directory}
        containers:
        - name: c
          image: busybox:1.35
          command: [sh, -c, 'while [ ! -f /flag/stop ]; do sleep 1; done; exit 3']
          volumeMounts: [{name: flag, mountPath: /flag}]
      """;

  @TempDir Path tmp;

  @Test
  void containersOutliveACrashedNodeProcessAndTheirStatusIsReconciled() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "runs containers: needs root");
    Path archive = BusyboxImage.archive();
    Path data = tmp.resolve("data");
    Path flags = Files.createDirectories(tmp.resolve("flags"));
    int port = SkiffProcess.freePort();
    var kubectl = new Kubectl(data.resolve("kubeconfig.yaml"));
    SkiffProcess first = SkiffProcess.up(tmp.resolve("up-1.log"), data, port);
    SkiffProcess second = null;
    try {
      first.awaitOutput(SkiffProcess.UP_READY, Duration.ofSeconds(120));
      SkiffProcess.importImage(archive, data);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> kubectl.run("get", "serviceaccount", "default").exitCode() == 0);
      var applied =
          kubectl.runWithInput(PODS.replace("FLAG_DIR", flags.toString()), "apply", "-f", "-");
      assertEquals(0, applied.exitCode(), applied.output());
      for (String pod : new String[] {"keep", "quit"}) {
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () -> "true".equals(status(kubectl, pod, "{.status.containerStatuses[0].ready}")));
      }
      String containerId = status(kubectl, "keep", "{.status.containerStatuses[0].containerID}");
      String started =
          status(kubectl, "keep", "{.status.containerStatuses[0].state.running.startedAt}");

      first.kill();
      // While no kubelet watches, one container ends on its own.
      Files.writeString(flags.resolve("stop"), "now");

      second = SkiffProcess.up(tmp.resolve("up-2.log"), data, port);
      second.awaitOutput(SkiffProcess.UP_READY, Duration.ofSeconds(120));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  "Failed".equals(status(kubectl, "quit", "{.status.phase}"))
                      && "3"
                          .equals(
                              status(
                                  kubectl,
                                  "quit",
                                  "{.status.containerStatuses[0].state.terminated.exitCode}")));
      assertEquals(
          containerId, status(kubectl, "keep", "{.status.containerStatuses[0].containerID}"));
      assertEquals("0", status(kubectl, "keep", "{.status.containerStatuses[0].restartCount}"));
      assertEquals(
          started,
          status(kubectl, "keep", "{.status.containerStatuses[0].state.running.startedAt}"));
      assertEquals("Running", status(kubectl, "keep", "{.status.phase}"));
      var exec = kubectl.run("exec", "keep", "--", "echo", "still here");
      assertEquals("still here\n", exec.output());
      var logs = kubectl.run("logs", "keep");
      assertTrue(logs.output().contains("started"), logs.output());
    } finally {
      first.stop();
      if (second != null) {
        second.stop();
      }
      SkiffProcess.reset(data);
    }
  }

  private static String status(Kubectl kubectl, String pod, String jsonPath) throws Exception {
    return kubectl.run("get", "pod", pod, "-o", "jsonpath=" + jsonPath).output();
  }
}
