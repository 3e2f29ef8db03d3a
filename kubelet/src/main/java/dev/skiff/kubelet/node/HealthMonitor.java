package dev.skiff.kubelet.node;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.PodSandboxFilter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Measures the node's pressure signals against the hard eviction thresholds (memory.available
 * 100Mi, nodefs.available 10%, pid.available 10%) and checks that the runtime answers.
 */
public final class HealthMonitor {
  private final ContainerRuntime runtime;
  private final Path fsPath;

  public HealthMonitor(ContainerRuntime runtime, Path fsPath) {
    this.runtime = runtime;
    this.fsPath = fsPath;
  }

  public NodeHealth check() {
    String runtimeError = null;
    try {
      runtime.listPodSandbox(PodSandboxFilter.ALL);
    } catch (RuntimeException e) {
      runtimeError = String.valueOf(e.getMessage());
    }
    boolean memory = Meminfo.read().availableBytes() < Resources.EVICTION_MEMORY_BYTES;
    return new NodeHealth(memory, diskPressure(), pidPressure(), runtimeError);
  }

  private boolean diskPressure() {
    try {
      var store = Files.getFileStore(fsPath);
      return store.getUsableSpace() * 100
          < store.getTotalSpace() * Resources.EVICTION_NODEFS_PERCENT;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean pidPressure() {
    try (var procs = Files.list(Path.of("/proc"))) {
      long max = Long.parseLong(ProcFiles.read(Path.of("/proc/sys/kernel/pid_max")));
      long used = procs.filter(p -> p.getFileName().toString().matches("\\d+")).count();
      return (max - used) * 10 < max;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }
}
