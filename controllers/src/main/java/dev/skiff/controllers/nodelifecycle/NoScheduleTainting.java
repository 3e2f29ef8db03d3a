package dev.skiff.controllers.nodelifecycle;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gives each node the NoSchedule taints its conditions and spec call for, as soon as it is added or
 * changes, as upstream's node lifecycle controller does on every node update: a node registered
 * with the {@code not-ready} taint becomes schedulable once its kubelet reports Ready, not at the
 * next health check.
 */
final class NoScheduleTainting extends QueueController {
  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;

  NoScheduleTainting(ControllerContext context) {
    super("node_lifecycle_controller");
    this.client = context.client();
    this.nodes = context.informers().of(Node.class);
    nodes.addEventHandler(Handlers.of(this::enqueue, (old, node) -> enqueue(node), node -> {}));
  }

  @Override
  protected void reconcile(String key) {
    Node node = nodes.getIndexer().getByKey(key);
    if (node == null) {
      return;
    }
    List<String> wanted = NodeTaints.wantedNoSchedule(node);
    Set<String> present = new HashSet<>();
    for (Taint t : NodeTaints.taints(node)) {
      if (isManaged(t)) {
        present.add(t.getKey());
      }
    }
    if (present.equals(new HashSet<>(wanted))) {
      return;
    }
    NodeTaintEdit.apply(
        client,
        node,
        taints -> {
          taints.removeIf(t -> isManaged(t) && !wanted.contains(t.getKey()));
          for (String taintKey : wanted) {
            if (taints.stream().noneMatch(t -> isManaged(t) && taintKey.equals(t.getKey()))) {
              taints.add(NodeTaints.taint(taintKey, NodeTaints.NO_SCHEDULE, null));
            }
          }
        });
  }

  private static boolean isManaged(Taint t) {
    return NodeTaints.NO_SCHEDULE.equals(t.getEffect())
        && NodeTaints.MANAGED_NO_SCHEDULE.contains(t.getKey());
  }
}
