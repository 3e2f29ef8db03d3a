package dev.skiff.controllers.resourcequota;

import dev.skiff.api.quantity.Quantity;
import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What a pod charges against a quota, as upstream's pod evaluator counts it. */
public final class PodUsage {
  private PodUsage() {}

  /** Terminated pods no longer use their resources. */
  public static boolean counts(Pod pod) {
    return !Pods.isTerminated(pod);
  }

  /**
   * The pod's effective requests or limits per resource: the larger of the sum over its containers
   * and any single init container, plus the pod overhead.
   */
  public static Map<String, Quantity> effective(Pod pod, boolean limits) {
    Map<String, Quantity> total = new HashMap<>();
    for (Container c : pod.getSpec().getContainers()) {
      of(c.getResources(), limits).forEach((name, q) -> total.merge(name, q, Quantity::add));
    }
    for (Container c : pod.getSpec().getInitContainers()) {
      of(c.getResources(), limits)
          .forEach((name, q) -> total.merge(name, q, (a, b) -> a.compareTo(b) >= 0 ? a : b));
    }
    if (pod.getSpec().getOverhead() != null) {
      pod.getSpec()
          .getOverhead()
          .forEach((name, q) -> total.merge(name, Quantity.parse(q.toString()), Quantity::add));
    }
    return total;
  }

  private static Map<String, Quantity> of(ResourceRequirements resources, boolean limits) {
    Map<String, Quantity> out = new HashMap<>();
    if (resources == null) {
      return out;
    }
    var values = limits ? resources.getLimits() : resources.getRequests();
    if (values == null) {
      return out;
    }
    values.forEach((name, q) -> out.put(name, Quantity.parse(q.toString())));
    // A limit without a request defaults the request, as admission would have.
    if (!limits && resources.getLimits() != null) {
      resources
          .getLimits()
          .forEach((name, q) -> out.putIfAbsent(name, Quantity.parse(q.toString())));
    }
    return out;
  }

  /** No container requests or limits any cpu or memory. */
  public static boolean isBestEffort(Pod pod) {
    for (List<Container> containers :
        List.of(pod.getSpec().getContainers(), pod.getSpec().getInitContainers())) {
      for (Container c : containers) {
        ResourceRequirements r = c.getResources();
        if (r == null) {
          continue;
        }
        for (var values : List.of(r.getRequests(), r.getLimits())) {
          if (values != null && (values.containsKey("cpu") || values.containsKey("memory"))) {
            return false;
          }
        }
      }
    }
    return true;
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getSpec().getActiveDeadlineSeconds() != null
        && pod.getSpec().getActiveDeadlineSeconds() >= 0;
  }
}
