package dev.skiff.runtime;

import java.util.Map;

/**
 * cgroup settings of a container or pod (CRI {@code LinuxContainerResources}); zero means unset.
 * {@code pidsLimit} is the kubelet's podPidsLimit, applied to the pod cgroup.
 */
public record LinuxContainerResources(
    long cpuPeriod,
    long cpuQuota,
    long cpuShares,
    long memoryLimitInBytes,
    long oomScoreAdj,
    String cpusetCpus,
    String cpusetMems,
    long pidsLimit,
    Map<String, String> unified) {
  public LinuxContainerResources {
    unified = unified == null ? Map.of() : Map.copyOf(unified);
  }

  public static final LinuxContainerResources NONE =
      new LinuxContainerResources(0, 0, 0, 0, 0, null, null, 0, null);
}
