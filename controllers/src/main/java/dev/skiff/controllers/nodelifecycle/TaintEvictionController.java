package dev.skiff.controllers.nodelifecycle;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Deletes pods from nodes with NoExecute taints: at once if the pod does not tolerate a taint,
 * otherwise once the shortest {@code tolerationSeconds} of the tolerations it uses has passed since
 * the taint was added. A pod marked for deletion first gets a DisruptionTarget condition saying
 * why.
 */
public final class TaintEvictionController extends QueueController {
  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;

  public TaintEvictionController(ControllerContext context) {
    super("taint-eviction-controller");
    this.client = context.client();
    this.clock = context.clock();
    this.nodes = context.informers().of(Node.class);
    this.pods = context.informers().of(Pod.class);
    this.events = context.events("taint-eviction-controller");
    nodes.addEventHandler(
        Handlers.of(
            this::nodeChanged,
            (old, node) -> {
              if (!Objects.equals(NodeTaints.noExecute(old), NodeTaints.noExecute(node))) {
                nodeChanged(node);
              }
            },
            n -> {}));
    pods.addEventHandler(
        Handlers.of(
            this::podChanged,
            (old, pod) -> {
              if (!Objects.equals(old.getSpec().getNodeName(), pod.getSpec().getNodeName())
                  || !Objects.equals(
                      old.getSpec().getTolerations(), pod.getSpec().getTolerations())) {
                podChanged(pod);
              }
            },
            p -> {}));
  }

  private void nodeChanged(Node node) {
    if (NodeTaints.noExecute(node).isEmpty()) {
      return;
    }
    String name = node.getMetadata().getName();
    for (Pod pod : pods.getStore().list()) {
      if (name.equals(pod.getSpec().getNodeName())) {
        enqueue(pod);
      }
    }
  }

  private void podChanged(Pod pod) {
    String node = pod.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) {
      enqueue(pod);
    }
  }

  @Override
  protected void reconcile(String key) {
    Pod pod = pods.getIndexer().getByKey(key);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String nodeName = pod.getSpec().getNodeName();
    Node node = nodeName == null ? null : nodes.getIndexer().getByKey(nodeName);
    if (node == null) {
      return;
    }
    List<Taint> taints = NodeTaints.noExecute(node);
    if (taints.isEmpty()) {
      return;
    }
    Optional<Long> seconds = Tolerations.tolerationSeconds(pod.getSpec().getTolerations(), taints);
    if (seconds.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    Instant deadline = taintedSince(taints, now).plusSeconds(seconds.get());
    if (deadline.isAfter(now)) {
      // Looked at again then; if the taint is gone by that time nothing happens.
      enqueueAfter(key, Duration.between(now, deadline).plusMillis(100));
      return;
    }
    evict(pod, now);
  }

  /** The latest time one of the taints was added: tolerations count from the newest taint. */
  private static Instant taintedSince(List<Taint> taints, Instant now) {
    Instant since = null;
    for (Taint taint : taints) {
      if (taint.getTimeAdded() == null) {
        continue;
      }
      Instant added = Instant.parse(taint.getTimeAdded());
      since = since == null || added.isAfter(since) ? added : since;
    }
    return since == null ? now : since;
  }

  private void evict(Pod pod, Instant now) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    events.normal(
        pod, "TaintManagerEviction", "Marking for deletion Pod " + namespace + "/" + name);
    try {
      client
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .editStatus(p -> withDisruptionTarget(p, now));
      client.pods().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private static Pod withDisruptionTarget(Pod pod, Instant now) {
    if (pod.getStatus() == null) {
      pod.setStatus(new PodStatus());
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    conditions.removeIf(c -> "DisruptionTarget".equals(c.getType()));
    conditions.add(
        new PodConditionBuilder()
            .withType("DisruptionTarget")
            .withStatus("True")
            .withReason("DeletionByTaintManager")
            .withMessage("Taint manager: deleting due to NoExecute taint")
            .withLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString())
            .build());
    return pod;
  }
}
