package dev.skiff.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared kubectl-driven acceptance scenarios (../shared/acceptance/run.sh) against a server
 * started from the real binary; the list grows as capabilities land.
 */
class AcceptanceScenariosTest {
  static final Path RUN_SH = SkiffProcess.REPO.resolveSibling("shared/acceptance/run.sh");
  static final List<String> SCENARIOS = List.of("discovery", "crud", "validation", "watch");

  @TempDir Path tmp;

  @Test
  void scenariosPass() throws Exception {
    assertTrue(Files.isExecutable(RUN_SH), "acceptance scenarios not found at " + RUN_SH);
    Path data = tmp.resolve("data");
    try (var server =
        SkiffProcess.server(tmp.resolve("server.log"), data, SkiffProcess.freePort())) {
      server.awaitOutput(SkiffProcess.SERVER_READY, Duration.ofSeconds(60));
      assertPass(data.resolve("kubeconfig.yaml"), SCENARIOS, server);
    }
  }

  /** Runs the scenarios against the cluster of {@code kubeconfig}; fails unless all pass. */
  static void assertPass(Path kubeconfig, List<String> scenarios, SkiffProcess cluster)
      throws Exception {
    List<String> cmd = new ArrayList<>(List.of(RUN_SH.toString(), "-k", kubeconfig.toString()));
    cmd.addAll(scenarios);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.MINUTES), "scenarios hung:\n" + out);
    String[] lines = out.strip().split("\n");
    assertEquals(
        scenarios.size() + " passed, 0 failed", lines[lines.length - 1], out + cluster.output());
  }
}
