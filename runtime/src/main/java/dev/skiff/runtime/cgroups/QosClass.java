package dev.skiff.runtime.cgroups;

import java.util.List;

/** A pod's quality-of-service class, computed as upstream does from its containers. */
public enum QosClass {
  GUARANTEED("Guaranteed"),
  BURSTABLE("Burstable"),
  BEST_EFFORT("BestEffort");

  private final String apiName;

  QosClass(String apiName) {
    this.apiName = apiName;
  }

  /** The value of {@code status.qosClass}. */
  public String apiName() {
    return apiName;
  }

  /**
   * BestEffort when no container sets any cpu/memory request or limit; Guaranteed when every
   * container limits both and requests equal limits; Burstable otherwise.
   */
  public static QosClass of(List<ResourceRequirements> containers) {
    boolean any = false;
    boolean guaranteed = !containers.isEmpty();
    for (ResourceRequirements r : containers) {
      if (r.cpuRequestMilli() != null
          || r.cpuLimitMilli() != null
          || r.memoryRequestBytes() != null
          || r.memoryLimitBytes() != null) {
        any = true;
      }
      boolean limited = r.cpuLimitMilli() != null && r.memoryLimitBytes() != null;
      if (!limited
          || !r.cpuLimitMilli().equals(r.cpuRequestMilli())
          || !r.memoryLimitBytes().equals(r.memoryRequestBytes())) {
        guaranteed = false;
      }
    }
    if (!any) return BEST_EFFORT;
    return guaranteed ? GUARANTEED : BURSTABLE;
  }
}
