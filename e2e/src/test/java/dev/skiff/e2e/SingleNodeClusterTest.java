package dev.skiff.e2e;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    Path archive = BusyboxImage.archive();
    Path data = tmp.resolve("data");
    try (var up = SkiffProcess.up(tmp.resolve("up.log"), data, SkiffProcess.freePort())) {
      try {
        up.awaitOutput(SkiffProcess.UP_READY, Duration.ofSeconds(120));
        SkiffProcess.importImage(archive, data);
        AcceptanceScenariosTest.assertPass(data.resolve("kubeconfig.yaml"), SCENARIOS, up);
      } finally {
        up.stop();
        SkiffProcess.reset(data);
      }
    }
  }
}
