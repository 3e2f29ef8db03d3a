package dev.skiff.runtime.runc;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.LinuxContainerResources;

/**
 * What the runtime keeps on disk about a container; its live state comes from runc and the
 * monitor's exit file. {@code logPath} is absolute (empty when the kubelet asked for none).
 */
record ContainerRecord(
    String id,
    String sandboxId,
    ContainerConfig config,
    String imageId,
    long createdAt,
    String logPath,
    String cgroupPath,
    int pid,
    int monitorPid,
    LinuxContainerResources resources) {
  ContainerRecord withResources(LinuxContainerResources r) {
    return new ContainerRecord(
        id, sandboxId, config, imageId, createdAt, logPath, cgroupPath, pid, monitorPid, r);
  }
}
