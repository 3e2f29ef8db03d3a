package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The conditions of a node whose kubelet went silent: all Unknown, as upstream reports them. */
final class UnknownConditions {
  private static final List<String> WATCHED_CONDITIONS =
      List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  private UnknownConditions() {}

  /** Some watched condition is missing or not yet Unknown. */
  static boolean needed(Node node) {
    for (String type : WATCHED_CONDITIONS) {
      Optional<NodeCondition> c = NodeTaints.condition(node, type);
      if (c.isEmpty() || !"Unknown".equals(c.get().getStatus())) {
        return true;
      }
    }
    return false;
  }

  static Node mark(Node node, String at) {
    List<NodeCondition> conditions = new ArrayList<>(node.getStatus().getConditions());
    for (String type : WATCHED_CONDITIONS) {
      int index = -1;
      for (int i = 0; i < conditions.size(); i++) {
        if (type.equals(conditions.get(i).getType())) {
          index = i;
        }
      }
      if (index < 0) {
        conditions.add(
            new NodeConditionBuilder()
                .withType(type)
                .withStatus("Unknown")
                .withReason("NodeStatusNeverUpdated")
                .withMessage("Kubelet never posted node status.")
                .withLastHeartbeatTime(node.getMetadata().getCreationTimestamp())
                .withLastTransitionTime(at)
                .build());
      } else if (!"Unknown".equals(conditions.get(index).getStatus())) {
        conditions.set(
            index,
            new NodeConditionBuilder(conditions.get(index))
                .withStatus("Unknown")
                .withReason("NodeStatusUnknown")
                .withMessage("Kubelet stopped posting node status.")
                .withLastTransitionTime(at)
                .build());
      }
    }
    node.getStatus().setConditions(conditions);
    return node;
  }
}
