package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The taints the node lifecycle controller derives from a node's conditions. */
public final class NodeTaints {
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  public static final String UNSCHEDULABLE = "node.kubernetes.io/unschedulable";
  public static final String NO_SCHEDULE = "NoSchedule";
  public static final String NO_EXECUTE = "NoExecute";

  /**
   * Condition type and status that bring a NoSchedule taint, as upstream's TaintNodesByCondition.
   */
  private static final Map<String, Map<String, String>> CONDITION_TAINTS =
      Map.of(
          "Ready", Map.of("False", NOT_READY, "Unknown", UNREACHABLE),
          "MemoryPressure", Map.of("True", "node.kubernetes.io/memory-pressure"),
          "DiskPressure", Map.of("True", "node.kubernetes.io/disk-pressure"),
          "PIDPressure", Map.of("True", "node.kubernetes.io/pid-pressure"),
          "NetworkUnavailable", Map.of("True", "node.kubernetes.io/network-unavailable"));

  /** Every NoSchedule taint key this controller manages. */
  static final Set<String> MANAGED_NO_SCHEDULE =
      Set.of(
          NOT_READY,
          UNREACHABLE,
          UNSCHEDULABLE,
          "node.kubernetes.io/memory-pressure",
          "node.kubernetes.io/disk-pressure",
          "node.kubernetes.io/pid-pressure",
          "node.kubernetes.io/network-unavailable");

  private NodeTaints() {}

  public static Optional<NodeCondition> condition(Node node, String type) {
    if (node.getStatus() == null) {
      return Optional.empty();
    }
    return node.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst();
  }

  /** "True", "False" or "Unknown"; a node that never reported is Unknown. */
  public static String readyStatus(Node node) {
    return condition(node, "Ready").map(NodeCondition::getStatus).orElse("Unknown");
  }

  /** The NoSchedule taint keys the node's conditions and spec call for. */
  static List<String> wantedNoSchedule(Node node) {
    List<String> keys = new ArrayList<>();
    if (node.getStatus() != null) {
      for (NodeCondition c : node.getStatus().getConditions()) {
        String key = CONDITION_TAINTS.getOrDefault(c.getType(), Map.of()).get(c.getStatus());
        if (key != null) {
          keys.add(key);
        }
      }
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      keys.add(UNSCHEDULABLE);
    }
    return keys;
  }

  /** The NoExecute taint key the node's Ready condition calls for, if any. */
  static Optional<String> wantedNoExecute(Node node) {
    if (condition(node, "Ready").isEmpty()) {
      // Not heard from yet: the grace period decides, by setting Ready to Unknown.
      return Optional.empty();
    }
    return switch (readyStatus(node)) {
      case "False" -> Optional.of(NOT_READY);
      case "True" -> Optional.empty();
      default -> Optional.of(UNREACHABLE);
    };
  }

  static List<Taint> taints(Node node) {
    return node.getSpec() == null ? List.of() : node.getSpec().getTaints();
  }

  static boolean has(Node node, String key, String effect) {
    return taints(node).stream()
        .anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
  }

  public static List<Taint> noExecute(Node node) {
    return taints(node).stream().filter(t -> NO_EXECUTE.equals(t.getEffect())).toList();
  }

  static Taint taint(String key, String effect, String timeAdded) {
    return new TaintBuilder().withKey(key).withEffect(effect).withTimeAdded(timeAdded).build();
  }
}
