package dev.skiff.bench;

import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.cgroups.CgroupVersion;
import dev.skiff.runtime.cgroups.Cgroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;

/**
 * CPU time spent on pod starts: the benchmark's JVM moves into a cgroup of its own, so its threads
 * and every process it starts (plugins, mount and runc processes, monitors) are counted there; the
 * containers' own cgroups are under {@code /kubepods}, counted in its cumulative usage. Other load
 * on the machine is not counted, which makes this figure steadier than wall-clock latency.
 */
final class RuntimeBenchmarkCpu implements AutoCloseable {
  private static final String GROUP = "/skiff-bench-runtime";
  private static final String PODS = "/kubepods";

  private final Cgroups cgroups = Cgroups.host();

  RuntimeBenchmarkCpu() throws IOException {
    cgroups.apply(GROUP, LinuxContainerResources.NONE);
    Files.writeString(procs(GROUP), Long.toString(ProcessHandle.current().pid()));
  }

  /** Nanoseconds of CPU used so far by this JVM, its processes and the pods' containers. */
  long usedNanos() {
    return cgroups.cpuUsageNanos(GROUP) + cgroups.cpuUsageNanos(PODS);
  }

  /**
   * Moves this JVM and what it started that still runs (the runtime's spawn helper, monitors still
   * exiting) back to the root cgroup and removes the benchmark's own.
   */
  @Override
  public void close() throws IOException {
    for (int attempt = 0; ; attempt++) {
      for (String pid : Files.readAllLines(procs(GROUP))) {
        try {
          Files.writeString(procs("/"), pid);
        } catch (IOException e) {
          // Exited meanwhile.
        }
      }
      try {
        cgroups.remove(GROUP);
        return;
      } catch (UncheckedIOException e) {
        if (attempt == 100) throw e;
        LockSupport.parkNanos(100_000_000L);
      }
    }
  }

  private Path procs(String group) {
    Path root = Path.of("/sys/fs/cgroup");
    Path base = cgroups.version() == CgroupVersion.V1 ? root.resolve("cpuacct") : root;
    return base.resolve(group.substring(1)).resolve("cgroup.procs");
  }
}
