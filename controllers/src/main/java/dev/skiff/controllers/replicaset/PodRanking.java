package dev.skiff.controllers.replicaset;

import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders pods from the first to delete to the last, as upstream ranks them when scaling down:
 * unscheduled before scheduled; Pending before Unknown before Running; not ready before ready;
 * lower {@code controller.kubernetes.io/pod-deletion-cost} first; pods on nodes crowded with their
 * siblings first; ready for less time first; more restarts first; newer first.
 */
final class PodRanking {
  static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";

  private PodRanking() {}

  /** The {@code count} pods of {@code pods} to delete; {@code related} decides crowding. */
  static List<Pod> toDelete(List<Pod> pods, List<Pod> related, int count) {
    Map<String, Integer> perNode = new HashMap<>();
    for (Pod pod : related) {
      String node = pod.getSpec().getNodeName();
      if (node != null && !node.isEmpty() && Pods.isActive(pod)) {
        perNode.merge(node, 1, Integer::sum);
      }
    }
    List<Pod> ranked = new ArrayList<>(pods);
    ranked.sort(order(perNode));
    return ranked.subList(0, Math.min(count, ranked.size()));
  }

  private static Comparator<Pod> order(Map<String, Integer> perNode) {
    Comparator<Pod> byScheduled = Comparator.comparing(p -> isScheduled(p));
    Comparator<Pod> byPhase = Comparator.comparingInt(PodRanking::phaseRank);
    Comparator<Pod> byReady = Comparator.comparing(Pods::isReady);
    Comparator<Pod> byCost = Comparator.comparingLong(PodRanking::deletionCost);
    Comparator<Pod> byCrowding =
        Comparator.comparingInt(
            p ->
                -perNode.getOrDefault(
                    p.getSpec().getNodeName() == null ? "" : p.getSpec().getNodeName(), 0));
    Comparator<Pod> byReadyTime =
        (a, b) -> {
          if (!Pods.isReady(a) || !Pods.isReady(b)) {
            return 0;
          }
          Instant ta = Pods.readySince(a).orElse(Instant.EPOCH);
          Instant tb = Pods.readySince(b).orElse(Instant.EPOCH);
          return tb.compareTo(ta);
        };
    Comparator<Pod> byRestarts = Comparator.comparingInt(p -> -Pods.maxRestarts(p));
    Comparator<Pod> byAge = (a, b) -> Pods.created(b).compareTo(Pods.created(a));
    return byScheduled
        .thenComparing(byPhase)
        .thenComparing(byReady)
        .thenComparing(byCost)
        .thenComparing(byCrowding)
        .thenComparing(byReadyTime)
        .thenComparing(byRestarts)
        .thenComparing(byAge);
  }

  private static boolean isScheduled(Pod pod) {
    String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
    return node != null && !node.isEmpty();
  }

  private static int phaseRank(Pod pod) {
    return switch (Pods.phase(pod)) {
      case "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> 3;
    };
  }

  private static long deletionCost(Pod pod) {
    String cost = pod.getMetadata().getAnnotations().get(DELETION_COST);
    if (cost == null) {
      return 0;
    }
    try {
      return Integer.parseInt(cost.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
