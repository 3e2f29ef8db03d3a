package dev.skiff.controllers.podautoscaler;

import dev.skiff.api.quantity.Quantity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Upstream's replica calculation for one resource metric: the usage ratio of ready pods against the
 * target, the 10% tolerance, and the conservative treatment of pods without metrics (assumed at
 * target when scaling down, idle when scaling up) and of unready pods (idle when scaling up).
 */
final class ReplicaCalculator {
  static final double DEFAULT_TOLERANCE = 0.1;
  static final Duration CPU_INITIALIZATION_PERIOD = Duration.ofMinutes(5);
  static final Duration INITIAL_READINESS_DELAY = Duration.ofSeconds(30);

  /** A proposal: replicas, and the current value as status reports it. */
  record Proposal(int replicas, Integer utilization, long averageMilli, Instant timestamp) {}

  /** The metric cannot be computed; the message is upstream's. */
  static final class Failed extends Exception {
    private static final long serialVersionUID = 1L;

    Failed(String message) {
      super(message);
    }
  }

  private final double tolerance;
  private final Instant now;

  ReplicaCalculator(double tolerance, Instant now) {
    this.tolerance = tolerance;
    this.now = now;
  }

  /** For a target utilization in percent of the pods' requests. */
  Proposal utilization(
      int currentReplicas,
      int targetUtilization,
      String resource,
      List<Pod> pods,
      Map<String, PodMetric> metrics)
      throws Failed {
    Groups g = group(pods, metrics, resource);
    Map<String, Long> requests = new HashMap<>();
    for (Pod p : pods) {
      requests.put(p.getMetadata().getName(), requestMilli(p, resource));
    }
    Map<String, Long> usage = g.usage;
    if (usage.isEmpty()) {
      throw new Failed("did not receive metrics for targeted pods (pods might be unready)");
    }
    long[] ratio = utilizationOf(usage, requests);
    int utilization = (int) ratio[0];
    double usageRatio = (double) utilization / targetUtilization;
    Instant ts = g.timestamp;
    boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (Math.abs(1.0 - usageRatio) <= tolerance) {
        return new Proposal(currentReplicas, utilization, ratio[1], ts);
      }
      return new Proposal((int) Math.ceil(usageRatio * g.readyCount), utilization, ratio[1], ts);
    }
    Map<String, Long> filled = new HashMap<>(usage);
    for (String pod : g.missing) {
      filled.put(pod, usageRatio < 1.0 ? requests.get(pod) : 0L);
    }
    if (scaleUpWithUnready) {
      for (String pod : g.unready) {
        filled.put(pod, 0L);
      }
    }
    double newRatio = (double) utilizationOf(filled, requests)[0] / targetUtilization;
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (usageRatio < 1.0 && newRatio > 1.0)
        || (usageRatio > 1.0 && newRatio < 1.0)) {
      return new Proposal(currentReplicas, utilization, ratio[1], ts);
    }
    int replicas = (int) Math.ceil(newRatio * filled.size());
    if ((newRatio < 1.0 && replicas > currentReplicas)
        || (newRatio > 1.0 && replicas < currentReplicas)) {
      replicas = currentReplicas;
    }
    return new Proposal(replicas, utilization, ratio[1], ts);
  }

  /** For a target average value per pod, in thousandths of the resource's unit. */
  Proposal averageValue(
      int currentReplicas,
      long targetMilli,
      String resource,
      List<Pod> pods,
      Map<String, PodMetric> metrics)
      throws Failed {
    Groups g = group(pods, metrics, resource);
    if (g.usage.isEmpty()) {
      throw new Failed("did not receive metrics for targeted pods (pods might be unready)");
    }
    long total = g.usage.values().stream().mapToLong(Long::longValue).sum();
    long average = total / g.usage.size();
    double usageRatio = (double) total / ((double) targetMilli * g.readyCount);
    boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
    if (!scaleUpWithUnready && g.missing.isEmpty()) {
      if (Math.abs(1.0 - usageRatio) <= tolerance) {
        return new Proposal(currentReplicas, null, average, g.timestamp);
      }
      return new Proposal((int) Math.ceil(usageRatio * g.readyCount), null, average, g.timestamp);
    }
    Map<String, Long> filled = new HashMap<>(g.usage);
    for (String pod : g.missing) {
      filled.put(pod, usageRatio < 1.0 ? targetMilli : 0L);
    }
    if (scaleUpWithUnready) {
      for (String pod : g.unready) {
        filled.put(pod, 0L);
      }
    }
    long newTotal = filled.values().stream().mapToLong(Long::longValue).sum();
    double newRatio = (double) newTotal / ((double) targetMilli * filled.size());
    if (Math.abs(1.0 - newRatio) <= tolerance
        || (usageRatio < 1.0 && newRatio > 1.0)
        || (usageRatio > 1.0 && newRatio < 1.0)) {
      return new Proposal(currentReplicas, null, average, g.timestamp);
    }
    int replicas = (int) Math.ceil((double) newTotal / targetMilli);
    if ((newRatio < 1.0 && replicas > currentReplicas)
        || (newRatio > 1.0 && replicas < currentReplicas)) {
      replicas = currentReplicas;
    }
    return new Proposal(replicas, null, average, g.timestamp);
  }

  /** {utilization percent, average usage} over pods that have both usage and a request. */
  private static long[] utilizationOf(Map<String, Long> usage, Map<String, Long> requests) {
    long used = 0;
    long requested = 0;
    int n = 0;
    for (var e : usage.entrySet()) {
      Long request = requests.get(e.getKey());
      if (request == null) {
        continue;
      }
      used += e.getValue();
      requested += request;
      n++;
    }
    if (requested == 0) {
      return new long[] {0, 0};
    }
    return new long[] {used * 100 / requested, used / n};
  }

  private static final class Groups {
    final Map<String, Long> usage = new HashMap<>();
    final Set<String> missing = new HashSet<>();
    final Set<String> unready = new HashSet<>();
    int readyCount;
    Instant timestamp;
  }

  private Groups group(List<Pod> pods, Map<String, PodMetric> metrics, String resource)
      throws Failed {
    if (pods.isEmpty()) {
      throw new Failed("no pods returned by selector while calculating replica count");
    }
    Groups g = new Groups();
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      if (pod.getMetadata().getDeletionTimestamp() != null || "Failed".equals(phase)) {
        continue;
      }
      if ("Pending".equals(phase)) {
        g.unready.add(name);
        continue;
      }
      PodMetric m = metrics.get(name);
      if (m == null) {
        g.missing.add(name);
        continue;
      }
      if (resource.equals("cpu") && unready(pod, m)) {
        g.unready.add(name);
        continue;
      }
      g.usage.put(name, m.milliValue());
      g.readyCount++;
      if (g.timestamp == null || m.timestamp().isBefore(g.timestamp)) {
        g.timestamp = m.timestamp();
      }
    }
    return g;
  }

  /**
   * A pod whose cpu is not yet representative: not ready, or within its first five minutes and
   * sampled before it became ready.
   */
  private boolean unready(Pod pod, PodMetric m) {
    PodCondition ready = null;
    if (pod.getStatus() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("Ready".equals(c.getType())) {
          ready = c;
        }
      }
    }
    if (ready == null || pod.getStatus().getStartTime() == null) {
      return true;
    }
    Instant start = Instant.parse(pod.getStatus().getStartTime());
    Instant transition =
        ready.getLastTransitionTime() == null
            ? start
            : Instant.parse(ready.getLastTransitionTime());
    if (start.plus(CPU_INITIALIZATION_PERIOD).isAfter(now)) {
      return "False".equals(ready.getStatus())
          || m.timestamp().isBefore(transition.plus(m.window()));
    }
    return "False".equals(ready.getStatus())
        && start.plus(INITIAL_READINESS_DELAY).isAfter(transition);
  }

  /** The pod's request of {@code resource} in thousandths; every container must have one. */
  static long requestMilli(Pod pod, String resource) throws Failed {
    long total = 0;
    for (Container c : pod.getSpec().getContainers()) {
      var requests = c.getResources() == null ? null : c.getResources().getRequests();
      var q = requests == null ? null : requests.get(resource);
      if (q == null) {
        throw new Failed(
            "missing request for "
                + resource
                + " in container "
                + c.getName()
                + " of Pod "
                + pod.getMetadata().getName());
      }
      total += Quantity.parse(q.toString()).milliValue();
    }
    return total;
  }
}
