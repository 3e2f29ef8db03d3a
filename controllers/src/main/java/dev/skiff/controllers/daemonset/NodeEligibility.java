package dev.skiff.controllers.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Whether a daemon pod belongs on a node: its nodeSelector and required node affinity match the
 * node, and it tolerates the node's NoSchedule and NoExecute taints, counting the tolerations
 * upstream adds to every daemon pod.
 */
final class NodeEligibility {
  private NodeEligibility() {}

  /** The tolerations upstream's DaemonSet controller adds so daemons survive node trouble. */
  static List<Toleration> daemonTolerations(boolean hostNetwork) {
    List<Toleration> tolerations = new ArrayList<>();
    tolerations.add(exists("node.kubernetes.io/not-ready", "NoExecute"));
    tolerations.add(exists("node.kubernetes.io/unreachable", "NoExecute"));
    tolerations.add(exists("node.kubernetes.io/disk-pressure", "NoSchedule"));
    tolerations.add(exists("node.kubernetes.io/memory-pressure", "NoSchedule"));
    tolerations.add(exists("node.kubernetes.io/pid-pressure", "NoSchedule"));
    tolerations.add(exists("node.kubernetes.io/unschedulable", "NoSchedule"));
    if (hostNetwork) {
      tolerations.add(exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    return tolerations;
  }

  private static Toleration exists(String key, String effect) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
  }

  static boolean eligible(PodSpec spec, Node node) {
    Map<String, String> labels = node.getMetadata().getLabels();
    if (spec.getNodeSelector() != null
        && !labels.entrySet().containsAll(spec.getNodeSelector().entrySet())) {
      return false;
    }
    var affinity = spec.getAffinity() == null ? null : spec.getAffinity().getNodeAffinity();
    var required =
        affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required != null
        && !required.getNodeSelectorTerms().isEmpty()
        && required.getNodeSelectorTerms().stream().noneMatch(term -> matches(term, node))) {
      return false;
    }
    List<Toleration> tolerations = new ArrayList<>(spec.getTolerations());
    tolerations.addAll(daemonTolerations(Boolean.TRUE.equals(spec.getHostNetwork())));
    if (node.getSpec() == null) {
      return true;
    }
    for (Taint taint : node.getSpec().getTaints()) {
      if (("NoSchedule".equals(taint.getEffect()) || "NoExecute".equals(taint.getEffect()))
          && tolerations.stream().noneMatch(t -> tolerates(t, taint))) {
        return false;
      }
    }
    return true;
  }

  private static boolean matches(NodeSelectorTerm term, Node node) {
    for (NodeSelectorRequirement r : term.getMatchExpressions()) {
      if (!requirement(r, node.getMetadata().getLabels().get(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : term.getMatchFields()) {
      String value = "metadata.name".equals(r.getKey()) ? node.getMetadata().getName() : null;
      if (!requirement(r, value)) {
        return false;
      }
    }
    return true;
  }

  private static boolean requirement(NodeSelectorRequirement r, String value) {
    return switch (r.getOperator()) {
      case "In" -> value != null && r.getValues().contains(value);
      case "NotIn" -> value == null || !r.getValues().contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt" -> value != null && number(value) > number(r.getValues().getFirst());
      case "Lt" -> value != null && number(value) < number(r.getValues().getFirst());
      default -> false;
    };
  }

  private static long number(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return Long.MIN_VALUE;
    }
  }

  static boolean tolerates(Toleration t, Taint taint) {
    if (t.getEffect() != null
        && !t.getEffect().isEmpty()
        && !t.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if ("Exists".equals(t.getOperator())) {
      return t.getKey() == null || t.getKey().isEmpty() || t.getKey().equals(taint.getKey());
    }
    return java.util.Objects.equals(t.getKey(), taint.getKey())
        && java.util.Objects.equals(
            t.getValue() == null ? "" : t.getValue(),
            taint.getValue() == null ? "" : taint.getValue());
  }
}
