package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.ClusterObjects;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;

/** A pod's priority: {@code spec.priority} as resolved by admission from its PriorityClass. */
public final class PodPriority {
  private PodPriority() {}

  public static int of(Pod pod) {
    Integer p = pod.getSpec() == null ? null : pod.getSpec().getPriority();
    return p == null ? 0 : p;
  }

  /**
   * Resolves the priority as admission would when {@code spec.priority} is unset: the named
   * PriorityClass, else the global default class, else zero.
   */
  public static int of(Pod pod, ClusterObjects objects) {
    if (pod.getSpec() != null && pod.getSpec().getPriority() != null) {
      return pod.getSpec().getPriority();
    }
    String className = pod.getSpec() == null ? null : pod.getSpec().getPriorityClassName();
    PriorityClass pc = objects.priorityClass(className);
    if (pc == null && (className == null || className.isEmpty())) {
      pc = objects.globalDefaultPriorityClass();
    }
    return pc == null || pc.getValue() == null ? 0 : pc.getValue();
  }

  /** Whether a pod may preempt others: {@code preemptionPolicy} is not Never. */
  public static boolean mayPreempt(Pod pod, ClusterObjects objects) {
    String policy = pod.getSpec() == null ? null : pod.getSpec().getPreemptionPolicy();
    if (policy == null) {
      PriorityClass pc =
          objects.priorityClass(
              pod.getSpec() == null ? null : pod.getSpec().getPriorityClassName());
      policy = pc == null ? null : pc.getPreemptionPolicy();
    }
    return !"Never".equals(policy);
  }
}
