package dev.skiff.runtime.runc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.NamespaceMode;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.os.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** The "Done when": a real two-container pod, checked from inside. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TwoContainerPodTest {
  static final List<String> SLEEP = List.of("sleep", "3600");
  static final LinuxContainerResources NONE = LinuxContainerResources.NONE;
  RuncFixture f;
  Path mkshm;

  @BeforeAll
  void setUp() throws Exception {
    f = new RuncFixture();
    // A SysV shared-memory segment creator (busybox has no ipcmk), mounted into one container.
    Path src = f.root.resolve("mkshm.c");
    Files.writeString(
        src,
        """
        #include <stdio.h>
        #include <sys/shm.h>
        int main(void) {
          int id = shmget(0x5eed, 4096, IPC_CREAT | 0600);
          if (id < 0) { perror("shmget"); return 1; }
          printf("%d\\n", id);
          return 0;
        }
        """);
    mkshm = f.root.resolve("mkshm");
    Command.run(
            List.of("gcc", "-static", "-o", mkshm.toString(), src.toString()),
            Duration.ofSeconds(60))
        .check();
  }

  @AfterAll
  void tearDown() throws Exception {
    if (f != null) f.close();
  }

  @Test
  void containersShareNetworkHostnameAndIpcButNotFilesystemsOrProcesses() throws Exception {
    PodSandboxConfig pod = f.pod("web-0", NamespaceOptions.DEFAULT, null);
    String sb = f.runtime.runPodSandbox(pod, null);
    var status = f.runtime.podSandboxStatus(sb);
    assertEquals(PodSandboxState.SANDBOX_READY, status.state());
    assertTrue(status.ip().startsWith("10.244.250."), status.ip());

    String a =
        f.run(
            sb,
            pod,
            RuncFixture.container(
                "server",
                List.of("httpd", "-f", "-p", "127.0.0.1:8080", "-h", "/www"),
                NONE,
                null,
                List.of(new Mount("/opt/mkshm", mkshm.toString(), true))));
    String b = f.run(sb, pod, RuncFixture.container("client", SLEEP, NONE, null, null));

    assertEquals("web-0", f.exec(a, "hostname"));
    assertEquals("web-0", f.exec(b, "hostname"));
    assertTrue(
        f.exec(a, "ip", "-4", "addr", "show", "eth0").contains("inet " + status.ip() + "/24"));
    assertTrue(
        f.exec(b, "ip", "-4", "addr", "show", "eth0").contains("inet " + status.ip() + "/24"));

    assertEquals(
        "skiff acceptance image", f.exec(b, "wget", "-q", "-O", "-", "http://127.0.0.1:8080/"));

    String shmId = f.exec(a, "/opt/mkshm");
    assertTrue(
        f.exec(b, "cat", "/proc/sysvipc/shm")
            .lines()
            .anyMatch(
                l -> List.of(l.trim().split("\\s+")).subList(0, 2).equals(List.of("24301", shmId))),
        "segment created in one container is visible in the other");

    f.exec(a, "touch", "/tmp/only-in-server");
    assertEquals(
        1,
        f.runtime
            .execSync(b, List.of("test", "-e", "/tmp/only-in-server"), Duration.ofSeconds(10))
            .exitCode());
    assertFalse(f.exec(b, "ps").contains("httpd"), "separate process trees");
    assertTrue(f.exec(a, "ps").contains("httpd"));
    assertEquals("1", f.exec(a, "sh", "-c", "cat /proc/1/comm | grep -q httpd && echo 1"));

    int pause = f.pausePid(sb);
    int pa = f.runtime.containerStatus(a).pid();
    int pb = f.runtime.containerStatus(b).pid();
    for (String ns : List.of("net", "ipc", "uts")) {
      assertEquals(nsLink(pause, ns), nsLink(pa, ns), ns);
      assertEquals(nsLink(pause, ns), nsLink(pb, ns), ns);
    }
    for (String ns : List.of("pid", "mnt")) {
      assertNotEquals(nsLink(pa, ns), nsLink(pb, ns), ns);
      assertNotEquals(nsLink(pause, ns), nsLink(pa, ns), ns);
    }
    assertEquals(Path.of(status.netnsPath()).toRealPath().toString().isEmpty(), false);
    f.runtime.removePodSandbox(sb);
    assertTrue(f.runtime.listContainers(null).stream().noneMatch(c -> c.podSandboxId().equals(sb)));
    assertFalse(Files.exists(Path.of(status.netnsPath())));
  }

  @Test
  void shareProcessNamespaceGivesOneProcessTree() {
    var shared =
        new NamespaceOptions(NamespaceMode.POD, NamespaceMode.POD, NamespaceMode.POD, null);
    PodSandboxConfig pod = f.pod("shared-pid", shared, null);
    String sb = f.runtime.runPodSandbox(pod, null);
    String a =
        f.run(
            sb,
            pod,
            RuncFixture.container(
                "server", List.of("httpd", "-f", "-p", "8080", "-h", "/www"), NONE, shared, null));
    String b = f.run(sb, pod, RuncFixture.container("client", SLEEP, NONE, shared, null));
    String ps = f.exec(b, "ps");
    assertTrue(ps.contains("httpd"), ps);
    assertTrue(ps.contains("/pause"), ps);
    assertEquals(nsLink(f.pausePid(sb), "pid"), nsLink(f.runtime.containerStatus(a).pid(), "pid"));
    f.runtime.removePodSandbox(sb);
  }

  @Test
  void hostNetworkPodsUseTheNodesNetworkAndName() throws Exception {
    var host =
        new NamespaceOptions(NamespaceMode.NODE, NamespaceMode.CONTAINER, NamespaceMode.POD, null);
    PodSandboxConfig pod = f.pod("host-net", host, null);
    String sb = f.runtime.runPodSandbox(pod, null);
    assertEquals("", f.runtime.podSandboxStatus(sb).ip());
    String c = f.run(sb, pod, RuncFixture.container("c", SLEEP, NONE, host, null));
    int pid = f.runtime.containerStatus(c).pid();
    assertEquals(nsLink((int) ProcessHandle.current().pid(), "net"), nsLink(pid, "net"));
    assertEquals(nsLink((int) ProcessHandle.current().pid(), "uts"), nsLink(pid, "uts"));
    assertEquals(
        Files.readString(Path.of("/proc/sys/kernel/hostname")).trim(), f.exec(c, "hostname"));
    f.runtime.removePodSandbox(sb);
  }

  @Test
  void memoryLimitKillsAHogWithOomKilled() {
    PodSandboxConfig pod = f.pod("hog", NamespaceOptions.DEFAULT, null);
    String sb = f.runtime.runPodSandbox(pod, null);
    var limit = new LinuxContainerResources(100_000, 0, 2, 32L << 20, 0, null, null, 0, null);
    String c =
        f.run(
            sb,
            pod,
            RuncFixture.container(
                "hog",
                List.of("dd", "if=/dev/zero", "of=/dev/null", "bs=128M", "count=1"),
                limit,
                null,
                null));
    var status = awaitExit(c);
    assertEquals(137, status.exitCode());
    assertEquals("OOMKilled", status.reason());
    f.runtime.removePodSandbox(sb);
  }

  @Test
  void cpuLimitCapsABusyLoopNearItsQuota() throws Exception {
    PodSandboxConfig pod = f.pod("busy", NamespaceOptions.DEFAULT, null);
    String sb = f.runtime.runPodSandbox(pod, null);
    var limit = new LinuxContainerResources(100_000, 20_000, 204, 0, 0, null, null, 0, null);
    String c =
        f.run(
            sb,
            pod,
            RuncFixture.container(
                "busy", List.of("sh", "-c", "while :; do :; done"), limit, null, null));
    String cgroup = f.runtime.containers.get(c).cgroupPath();
    assertEquals("20000", f.cgroups.read("cpu", cgroup, "cpu.cfs_quota_us"));
    long cpu0 = f.cgroups.cpuUsageNanos(cgroup);
    long t0 = System.nanoTime();
    Thread.sleep(2000);
    // The quota caps usage at 20% of a core; a busy node may give it less, never more.
    double share = (double) (f.cgroups.cpuUsageNanos(cgroup) - cpu0) / (System.nanoTime() - t0);
    assertTrue(share > 0.02 && share < 0.3, "busy loop used " + share + " of a core");
    assertTrue(f.cgroups.throttledPeriods(cgroup) > 0);
    f.runtime.removePodSandbox(sb);
  }

  dev.skiff.runtime.ContainerStatus awaitExit(String c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      var s = f.runtime.containerStatus(c);
      if (s.state() == ContainerState.CONTAINER_EXITED) return s;
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("container " + c + " did not exit");
  }

  static String nsLink(int pid, String ns) {
    try {
      return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + ns)).toString();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
