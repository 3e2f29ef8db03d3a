package dev.skiff.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ContainerLifecycleTest extends SharedPodTest {
  static final LinuxContainerResources NONE = LinuxContainerResources.NONE;

  ContainerLifecycleTest() {
    super("life");
  }

  ContainerConfig sh(String name, String script) {
    return RuncFixture.container(name, List.of("sh", "-c", script), NONE, null, null);
  }

  ContainerStatus awaitExit(String c) throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      ContainerStatus s = f.runtime.containerStatus(c);
      if (s.state() == ContainerState.CONTAINER_EXITED) return s;
      Thread.sleep(50);
    }
    throw new AssertionError("container did not exit");
  }

  @Test
  void writesCriLogsAndRecordsExitCodeAndTerminationMessage() throws Exception {
    String c =
        f.runtime.createContainer(
            sandbox,
            sh(
                "logger",
                "echo hello; echo oops >&2; printf partial; echo bye > /dev/termination-log; exit 3"),
            pod);
    assertEquals(ContainerState.CONTAINER_CREATED, f.runtime.containerStatus(c).state());
    f.runtime.startContainer(c);
    ContainerStatus s = awaitExit(c);
    assertEquals(3, s.exitCode());
    assertEquals("Error", s.reason());
    assertEquals("bye\n", s.message());
    assertTrue(s.startedAt() > 0 && s.finishedAt() >= s.startedAt());
    Path log = Path.of(s.logPath());
    assertEquals(Path.of(pod.logDirectory(), "logger", "0.log"), log);
    List<String> lines = Files.readAllLines(log);
    assertEquals(3, lines.size(), lines.toString());
    var pattern = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z ";
    assertTrue(
        lines.stream().anyMatch(l -> l.matches(pattern + "stdout F hello")), lines.toString());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches(pattern + "stderr F oops")), lines.toString());
    assertTrue(
        lines.stream().anyMatch(l -> l.matches(pattern + "stdout F partial")), lines.toString());
    var e = assertThrows(ContainerRuntimeException.class, () -> f.runtime.startContainer(c));
    assertEquals(ContainerRuntimeException.Code.FAILED_PRECONDITION, e.code());
    f.runtime.removeContainer(c);
    assertThrows(ContainerRuntimeException.class, () -> f.runtime.containerStatus(c));
    f.runtime.removeContainer(c);
  }

  @Test
  void stopSendsTermThenKill() throws Exception {
    String graceful =
        f.run(sandbox, pod, sh("graceful", "trap 'exit 7' TERM; while :; do sleep 0.1; done"));
    String stubborn =
        f.run(
            sandbox,
            pod,
            RuncFixture.container("stubborn", List.of("sleep", "1000"), NONE, null, null));
    f.runtime.stopContainer(graceful, 10);
    assertEquals(7, f.runtime.containerStatus(graceful).exitCode());
    long t0 = System.nanoTime();
    f.runtime.stopContainer(stubborn, 1);
    assertTrue(
        System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(900), "waited the grace period");
    ContainerStatus s = f.runtime.containerStatus(stubborn);
    assertEquals(137, s.exitCode(), "PID 1 ignores SIGTERM without a handler, so SIGKILL ends it");
    assertEquals("Error", s.reason());
    f.runtime.stopContainer(stubborn, 1);
  }

  @Test
  void aNewRuntimeInstanceAdoptsRunningContainersAndTheirLogs() throws Exception {
    String c =
        f.run(
            sandbox,
            pod,
            sh("ticker", "i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.1; done"));
    RuncRuntime restarted = new RuncRuntime(f.config, f.images);
    assertEquals(PodSandboxState.SANDBOX_READY, restarted.podSandboxStatus(sandbox).state());
    assertEquals(ContainerState.CONTAINER_RUNNING, restarted.containerStatus(c).state());
    Path log = Path.of(restarted.containerStatus(c).logPath());
    long before = Files.readAllLines(log).size();
    Thread.sleep(400);
    assertTrue(Files.readAllLines(log).size() > before, "the monitor keeps logging");

    Path rotated = log.resolveSibling("0.log.1");
    Files.move(log, rotated);
    restarted.reopenContainerLog(c);
    Thread.sleep(400);
    assertTrue(Files.exists(log) && Files.size(log) > 0, "reopened after rotation");

    assertEquals(
        "tick",
        restarted
            .execSync(c, List.of("sh", "-c", "echo tick"), Duration.ofSeconds(10))
            .stdoutText()
            .trim());
    restarted.stopContainer(c, 0);
    assertEquals(137, f.runtime.containerStatus(c).exitCode());
  }

  @Test
  void updatesResourcesAndReportsStats() throws Exception {
    String c =
        f.run(
            sandbox,
            pod,
            RuncFixture.container("stats", List.of("sleep", "1000"), NONE, null, null));
    var res = new LinuxContainerResources(100_000, 50_000, 512, 64L << 20, 0, null, null, 0, null);
    f.runtime.updateContainerResources(c, res);
    String cg = f.runtime.containers.get(c).cgroupPath();
    assertEquals(String.valueOf(64L << 20), f.cgroups.read("memory", cg, "memory.limit_in_bytes"));
    assertEquals("50000", f.cgroups.read("cpu", cg, "cpu.cfs_quota_us"));
    assertEquals(res, f.runtime.containerStatus(c).resources());
    var stats = f.runtime.containerStats(c);
    assertTrue(stats.memoryUsageBytes() > 0);
    assertTrue(stats.cpuUsageCoreNanoSeconds() > 0);
    f.runtime.stopContainer(c, 0);
  }

  @Test
  void execSyncTimesOutAndReportsFailures() {
    String c =
        f.run(
            sandbox,
            pod,
            RuncFixture.container("exec", List.of("sleep", "1000"), NONE, null, null));
    var r =
        f.runtime.execSync(
            c, List.of("sh", "-c", "echo out; echo err >&2; exit 4"), Duration.ofSeconds(10));
    assertEquals(4, r.exitCode());
    assertEquals("out\n", r.stdoutText());
    assertEquals("err\n", r.stderrText());
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () -> f.runtime.execSync(c, List.of("sleep", "30"), Duration.ofMillis(500)));
    assertEquals(ContainerRuntimeException.Code.DEADLINE_EXCEEDED, e.code());
    f.runtime.stopContainer(c, 0);
  }

  @Test
  void missingImageAndUnknownIdsAreClearErrors() {
    var missing = ContainerConfig.of("x", "nosuch:1", List.of("true"));
    var e =
        assertThrows(
            ContainerRuntimeException.class,
            () -> f.runtime.createContainer(sandbox, missing, pod));
    assertEquals("image \"nosuch:1\" not found", e.getMessage());
    assertEquals(
        ContainerRuntimeException.Code.NOT_FOUND,
        assertThrows(ContainerRuntimeException.class, () -> f.runtime.podSandboxStatus("nope"))
            .code());
    f.runtime.removePodSandbox("nope");
  }

  @Test
  void sandboxSysctlsApplyToThePodNamespaces() {
    PodSandboxConfig base = f.pod("sysctl", NamespaceOptions.DEFAULT, null);
    PodSandboxConfig withSysctls =
        new PodSandboxConfig(
            base.metadata(),
            base.hostname(),
            base.logDirectory(),
            null,
            null,
            base.labels(),
            null,
            new dev.skiff.runtime.LinuxPodSandboxConfig(
                base.linux().cgroupParent(),
                null,
                java.util.Map.of(
                    "net.ipv4.ip_unprivileged_port_start", "80", "kernel.shm_rmid_forced", "1"),
                null));
    String sb = f.runtime.runPodSandbox(withSysctls, null);
    String c =
        f.run(
            sb, withSysctls, RuncFixture.container("c", List.of("sleep", "600"), NONE, null, null));
    assertEquals("80", f.exec(c, "cat", "/proc/sys/net/ipv4/ip_unprivileged_port_start"));
    assertEquals("1", f.exec(c, "cat", "/proc/sys/kernel/shm_rmid_forced"));
    f.runtime.removePodSandbox(sb);
  }
}
