package dev.skiff.runtime.cgroups;

import dev.skiff.runtime.LinuxContainerResources;
import java.util.List;

/**
 * Where a pod's cgroup lives and what limits it and its containers get, as upstream's kubelet
 * computes them with the cgroupfs driver.
 */
public final class PodCgroups {
  public static final String ROOT = "/kubepods";
  static final int GUARANTEED_OOM_SCORE_ADJ = -997;
  static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

  private PodCgroups() {}

  /** {@code /kubepods/pod<uid>} for Guaranteed, {@code /kubepods/<qos>/pod<uid>} otherwise. */
  public static String podCgroup(QosClass qos, String podUid) {
    if (podUid == null || podUid.isEmpty() || podUid.contains("/")) {
      throw new IllegalArgumentException("invalid pod uid: " + podUid);
    }
    return switch (qos) {
      case GUARANTEED -> ROOT + "/pod" + podUid;
      case BURSTABLE -> ROOT + "/burstable/pod" + podUid;
      case BEST_EFFORT -> ROOT + "/besteffort/pod" + podUid;
    };
  }

  /** The container's own cgroup, a child of its pod's. */
  public static String containerCgroup(String podCgroup, String containerId) {
    return podCgroup + "/" + containerId;
  }

  /**
   * A container's resources: shares from its cpu request, quota from its cpu limit, its memory
   * limit, and upstream's oom_score_adj policy for the QoS class ({@code memoryCapacity} is the
   * node's).
   */
  public static LinuxContainerResources container(
      ResourceRequirements r, QosClass qos, long memoryCapacity) {
    long shares =
        qos == QosClass.BEST_EFFORT
            ? CpuConversion.MIN_SHARES
            : CpuConversion.sharesFromMilli(r.cpuRequest());
    long quota =
        r.cpuLimitMilli() == null
            ? 0
            : CpuConversion.quotaFromMilli(r.cpuLimitMilli(), CpuConversion.DEFAULT_PERIOD_US);
    long memory = r.memoryLimitBytes() == null ? 0 : r.memoryLimitBytes();
    return new LinuxContainerResources(
        CpuConversion.DEFAULT_PERIOD_US,
        quota,
        shares,
        memory,
        oomScoreAdj(r, qos, memoryCapacity),
        null,
        null,
        0,
        null);
  }

  static long oomScoreAdj(ResourceRequirements r, QosClass qos, long memoryCapacity) {
    return switch (qos) {
      case GUARANTEED -> GUARANTEED_OOM_SCORE_ADJ;
      case BEST_EFFORT -> BEST_EFFORT_OOM_SCORE_ADJ;
      case BURSTABLE -> {
        if (memoryCapacity <= 0) yield 999;
        long adj = 1000 - (1000 * r.memoryRequest()) / memoryCapacity;
        yield Math.clamp(adj, 2, 999);
      }
    };
  }

  /**
   * The pod cgroup's resources: shares from the summed requests; a quota and memory limit only when
   * every container sets that limit; init containers count by their maximum, as upstream's
   * effective request. {@code pidsLimit} is the kubelet's podPidsLimit (0 for none).
   */
  public static LinuxContainerResources pod(
      List<ResourceRequirements> containers,
      List<ResourceRequirements> initContainers,
      QosClass qos,
      long pidsLimit) {
    long cpuRequest = 0;
    long cpuLimit = 0;
    long memoryLimit = 0;
    boolean cpuLimited = true;
    boolean memoryLimited = true;
    for (ResourceRequirements r : containers) {
      cpuRequest += r.cpuRequest();
      if (r.cpuLimitMilli() == null) cpuLimited = false;
      else cpuLimit += r.cpuLimitMilli();
      if (r.memoryLimitBytes() == null) memoryLimited = false;
      else memoryLimit += r.memoryLimitBytes();
    }
    for (ResourceRequirements r : initContainers) {
      cpuRequest = Math.max(cpuRequest, r.cpuRequest());
      if (r.cpuLimitMilli() == null) cpuLimited = false;
      else cpuLimit = Math.max(cpuLimit, r.cpuLimitMilli());
      if (r.memoryLimitBytes() == null) memoryLimited = false;
      else memoryLimit = Math.max(memoryLimit, r.memoryLimitBytes());
    }
    if (qos == QosClass.BEST_EFFORT) {
      return new LinuxContainerResources(
          0, 0, CpuConversion.MIN_SHARES, 0, 0, null, null, pidsLimit, null);
    }
    long quota =
        cpuLimited ? CpuConversion.quotaFromMilli(cpuLimit, CpuConversion.DEFAULT_PERIOD_US) : 0;
    return new LinuxContainerResources(
        CpuConversion.DEFAULT_PERIOD_US,
        quota,
        CpuConversion.sharesFromMilli(cpuRequest),
        memoryLimited ? memoryLimit : 0,
        0,
        null,
        null,
        pidsLimit,
        null);
  }
}
