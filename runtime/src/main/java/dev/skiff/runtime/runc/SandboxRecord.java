package dev.skiff.runtime.runc;

import dev.skiff.runtime.PodSandboxConfig;
import java.util.List;

/**
 * What the runtime keeps on disk about a sandbox, so that a restarted kubelet finds it: {@code
 * netnsPath} is empty with host network; {@code stopped} once StopPodSandbox ran.
 */
record SandboxRecord(
    String id,
    PodSandboxConfig config,
    String runtimeHandler,
    long createdAt,
    String netnsPath,
    List<String> ips,
    String cgroupParent,
    int pausePid,
    boolean stopped) {
  SandboxRecord withStopped() {
    return new SandboxRecord(
        id, config, runtimeHandler, createdAt, netnsPath, ips, cgroupParent, pausePid, true);
  }
}
