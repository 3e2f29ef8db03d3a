package dev.skiff.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Changes a node's taints on the node as the API server has it, guarded by its resourceVersion so
 * that two writers (the NoSchedule and NoExecute passes) cannot undo each other; a conflicting
 * write is retried on a fresh read a few times, as upstream's taint swap does.
 */
final class NodeTaintEdit {
  private static final int ATTEMPTS = 5;

  private NodeTaintEdit() {}

  /** The node after {@code change}; {@code node} itself when it is gone or stayed contended. */
  static Node apply(KubernetesClient client, Node node, Consumer<List<Taint>> change) {
    String name = node.getMetadata().getName();
    for (int attempt = 1; ; attempt++) {
      Node latest = client.nodes().withName(name).get();
      if (latest == null) {
        return node;
      }
      List<Taint> taints = new ArrayList<>(NodeTaints.taints(latest));
      change.accept(taints);
      if (taints.equals(NodeTaints.taints(latest))) {
        return latest;
      }
      Node changed = new NodeBuilder(latest).editOrNewSpec().withTaints(taints).endSpec().build();
      try {
        return client.nodes().resource(changed).update();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404 || (e.getCode() == 409 && attempt == ATTEMPTS)) {
          return node;
        }
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
  }
}
