package dev.skiff.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code skiff up} as a user runs it, as root: real containers from an imported image, driven by
 * the shared acceptance scenarios; {@code skiff reset} cleans the node afterwards.
 */
class SingleNodeClusterTest {
  static final List<String> SCENARIOS = List.of("deployment", "selfheal", "job");

  @TempDir Path tmp;

  @Test
  void workloadsRunInRealContainers() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "runs containers: needs root");
    Path archive = tmp.resolve("busybox.tar");
    assertEquals(
        0,
        run(SkiffProcess.REPO.resolve(".ci/busybox-image.sh").toString(), archive.toString())
            .exitCode);
    Path data = tmp.resolve("data");
    String port = String.valueOf(SkiffProcess.freePort());
    try (var up =
        SkiffProcess.start(
            tmp.resolve("up.log"),
            "up",
            "--data-dir",
            data.toString(),
            "--https-listen-port",
            port,
            "--no-kube-config-merge")) {
      try {
        up.awaitOutput("Skiff is ready", Duration.ofSeconds(120));
        SkiffProcess.importImage(archive, data);

        List<String> cmd =
            new ArrayList<>(
                List.of(
                    AcceptanceScenariosTest.RUN_SH.toString(),
                    "-k",
                    data.resolve("kubeconfig.yaml").toString()));
        cmd.addAll(SCENARIOS);
        Result r = run(cmd.toArray(String[]::new));
        String[] lines = r.output.strip().split("\n");
        assertEquals(
            SCENARIOS.size() + " passed, 0 failed",
            lines[lines.length - 1],
            r.output + up.output());
      } finally {
        up.stop();
        var reset =
            SkiffProcess.run(
                Duration.ofSeconds(180), "reset", "--data-dir", data.toString(), "--delete-data");
        assertEquals(0, reset.exitCode(), reset.output());
      }
    }
  }

  private record Result(int exitCode, String output) {}

  private static Result run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "hung: " + String.join(" ", cmd));
    return new Result(p.exitValue(), out);
  }
}
