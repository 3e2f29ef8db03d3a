package dev.skiff.scheduler.plugins.helper;

import dev.skiff.api.selection.LabelRequirement;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * Matching of core/v1 NodeSelectors (node affinity, PV node affinity) and {@code nodeSelector} maps
 * against nodes, as upstream's nodeaffinity helpers.
 */
public final class NodeSelectors {
  private NodeSelectors() {}

  /** The terms are ORed; an empty term list matches no node. */
  public static boolean matches(NodeSelector selector, Node node) {
    if (selector == null) {
      return true;
    }
    List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
    if (terms == null) {
      return false;
    }
    for (NodeSelectorTerm term : terms) {
      if (matches(term, node)) {
        return true;
      }
    }
    return false;
  }

  /** Expressions and fields are ANDed; a term with neither matches nothing. */
  public static boolean matches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> exprs = nullSafe(term.getMatchExpressions());
    List<NodeSelectorRequirement> fields = nullSafe(term.getMatchFields());
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels = node.getMetadata().getLabels();
    labels = labels == null ? Map.of() : labels;
    for (NodeSelectorRequirement r : exprs) {
      LabelRequirement req = toRequirement(r);
      if (req == null || !req.matches(labels)) {
        return false;
      }
    }
    Map<String, String> nodeFields = Map.of("metadata.name", node.getMetadata().getName());
    for (NodeSelectorRequirement r : fields) {
      LabelRequirement req = toRequirement(r);
      // Only metadata.name may be used as a field, with In or NotIn and one value.
      if (req == null || !"metadata.name".equals(r.getKey()) || !req.matches(nodeFields)) {
        return false;
      }
    }
    return true;
  }

  /** {@code spec.nodeSelector}: every entry must be among the node's labels. */
  public static boolean matchesNodeSelector(Pod pod, Node node) {
    Map<String, String> selector = pod.getSpec() == null ? null : pod.getSpec().getNodeSelector();
    if (selector == null || selector.isEmpty()) {
      return true;
    }
    Map<String, String> labels = node.getMetadata().getLabels();
    if (labels == null) {
      return false;
    }
    for (var e : selector.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The pod's nodeSelector and required node affinity together, as upstream's RequiredNodeAffinity.
   */
  public static boolean matchesRequired(Pod pod, Node node) {
    if (!matchesNodeSelector(pod, node)) {
      return false;
    }
    var affinity = pod.getSpec() == null ? null : pod.getSpec().getAffinity();
    var na = affinity == null ? null : affinity.getNodeAffinity();
    return na == null || matches(na.getRequiredDuringSchedulingIgnoredDuringExecution(), node);
  }

  // Returns null for an invalid requirement, which then matches nothing, as upstream.
  static LabelRequirement toRequirement(NodeSelectorRequirement r) {
    List<String> values = nullSafe(r.getValues());
    String op = r.getOperator() == null ? "" : r.getOperator();
    LabelRequirement.Operator operator =
        switch (op) {
          case "In" -> LabelRequirement.Operator.IN;
          case "NotIn" -> LabelRequirement.Operator.NOT_IN;
          case "Exists" -> LabelRequirement.Operator.EXISTS;
          case "DoesNotExist" -> LabelRequirement.Operator.DOES_NOT_EXIST;
          case "Gt" -> LabelRequirement.Operator.GREATER_THAN;
          case "Lt" -> LabelRequirement.Operator.LESS_THAN;
          default -> null;
        };
    if (operator == null) {
      return null;
    }
    if ((operator == LabelRequirement.Operator.GREATER_THAN
            || operator == LabelRequirement.Operator.LESS_THAN)
        && (values.size() != 1 || !isInteger(values.getFirst()))) {
      return null;
    }
    return new LabelRequirement(r.getKey(), operator, values);
  }

  private static boolean isInteger(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static <T> List<T> nullSafe(List<T> list) {
    return list == null ? List.of() : list;
  }
}
