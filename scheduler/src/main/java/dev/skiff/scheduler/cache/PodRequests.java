package dev.skiff.scheduler.cache;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod's effective resource requests, as upstream's resource.PodRequests: the sum of the app
 * containers and restartable (sidecar) init containers, raised to the largest regular init
 * container (plus the sidecars started before it), plus the pod overhead.
 */
public final class PodRequests {
  /** Used for scoring when a container requests no CPU, so empty pods still spread. */
  public static final long DEFAULT_MILLI_CPU_REQUEST = 100;

  /** Used for scoring when a container requests no memory (200 MiB). */
  public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;

  private PodRequests() {}

  public static Resource of(Pod pod) {
    return compute(pod, false);
  }

  /** Requests with upstream's non-zero defaults for CPU and memory, for scoring plugins. */
  public static Resource nonZero(Pod pod) {
    return compute(pod, true);
  }

  private static Resource compute(Pod pod, boolean nonZero) {
    Resource sum = new Resource();
    var spec = pod.getSpec();
    if (spec == null) {
      return sum;
    }
    for (Container c : nullSafe(spec.getContainers())) {
      sum.add(containerRequests(c, nonZero));
    }
    Resource sidecars = new Resource();
    Resource maxInit = new Resource();
    for (Container c : nullSafe(spec.getInitContainers())) {
      Resource r = containerRequests(c, nonZero);
      if ("Always".equals(c.getRestartPolicy())) {
        sum.add(r);
        sidecars.add(r);
        maxInit.setMax(sidecars);
      } else {
        Resource withSidecars = sidecars.copy();
        withSidecars.add(r);
        maxInit.setMax(withSidecars);
      }
    }
    sum.setMax(maxInit);
    if (spec.getOverhead() != null) {
      sum.add(Resource.of(spec.getOverhead()));
    }
    return sum;
  }

  private static Resource containerRequests(Container c, boolean nonZero) {
    Resource r = Resource.of(requestsOf(c.getResources()));
    if (nonZero) {
      if (r.milliCpu == 0) {
        r.milliCpu = DEFAULT_MILLI_CPU_REQUEST;
      }
      if (r.memory == 0) {
        r.memory = DEFAULT_MEMORY_REQUEST;
      }
    }
    return r;
  }

  // The API server defaults requests to limits; we apply the same rule in case it has not.
  private static Map<String, Quantity> requestsOf(ResourceRequirements rr) {
    if (rr == null) {
      return Map.of();
    }
    Map<String, Quantity> requests = rr.getRequests();
    Map<String, Quantity> limits = rr.getLimits();
    if (limits == null || limits.isEmpty()) {
      return requests == null ? Map.of() : requests;
    }
    var merged = new HashMap<>(limits);
    if (requests != null) {
      merged.putAll(requests);
    }
    return merged;
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
