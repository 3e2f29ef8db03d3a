package dev.skiff.controllers.daemonset;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps one pod of each DaemonSet on every eligible node: new nodes get one, nodes that stop
 * matching (or are removed) lose theirs, and duplicates are deleted. Daemon pods are pinned to
 * their node through required node affinity on {@code metadata.name}, as upstream does, and carry
 * the tolerations upstream adds; the scheduler binds them.
 */
public final class DaemonSetController extends QueueController {
  private final KubernetesClient client;
  private final SharedIndexInformer<DaemonSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final EventRecorder events;
  private final PodControl podControl;

  public DaemonSetController(ControllerContext context) {
    super("daemonset");
    this.client = context.client();
    this.sets = context.informers().of(DaemonSet.class);
    this.pods = context.informers().of(Pod.class);
    this.nodes = context.informers().of(Node.class);
    this.events = context.events("daemonset-controller");
    this.podControl = new PodControl(client, events);
    sets.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.any(
            pod ->
                OwnerReferences.controllerOf(pod)
                    .filter(ref -> "DaemonSet".equals(ref.getKind()))
                    .ifPresent(
                        ref ->
                            enqueue(
                                Cache.namespaceKeyFunc(
                                    pod.getMetadata().getNamespace(), ref.getName())))));
    nodes.addEventHandler(
        Handlers.<Node>any(node -> sets.getStore().list().forEach(this::enqueue)));
  }

  /** The node a daemon pod is bound or pinned to. */
  static String nodeOf(Pod pod) {
    if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
      return pod.getSpec().getNodeName();
    }
    var affinity =
        pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
    var required =
        affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null) {
      return null;
    }
    return required.getNodeSelectorTerms().stream()
        .flatMap(t -> t.getMatchFields().stream())
        .filter(
            r ->
                "metadata.name".equals(r.getKey())
                    && "In".equals(r.getOperator())
                    && r.getValues().size() == 1)
        .map(r -> r.getValues().getFirst())
        .findFirst()
        .orElse(null);
  }

  @Override
  protected void reconcile(String key) {
    DaemonSet cached = sets.getIndexer().getByKey(key);
    if (cached == null) {
      return;
    }
    DaemonSet set = new DaemonSetBuilder(cached).build();
    Map<String, List<Pod>> byNode = new HashMap<>();
    List<Pod> unplaced = new ArrayList<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace())) {
      if (!OwnerReferences.isControlledBy(pod, set)
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String node = nodeOf(pod);
      if (node == null) {
        unplaced.add(pod);
      } else {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
      }
    }
    int desired = 0;
    int misscheduled = 0;
    if (set.getMetadata().getDeletionTimestamp() == null) {
      var ref = OwnerReferences.controllerRef(set, "apps/v1", "DaemonSet");
      for (Node node : nodes.getStore().list()) {
        String name = node.getMetadata().getName();
        boolean eligible = NodeEligibility.eligible(set.getSpec().getTemplate().getSpec(), node);
        List<Pod> here = byNode.getOrDefault(name, List.of());
        if (eligible) {
          desired++;
          if (here.isEmpty()) {
            podControl.create(set, set.getSpec().getTemplate(), ref, pod -> pinned(pod, name));
          } else {
            for (Pod pod : here.stream().filter(Pods::isTerminated).toList()) {
              podControl.delete(set, pod);
            }
            List<Pod> running =
                here.stream()
                    .filter(p -> !Pods.isTerminated(p))
                    .sorted((a, b) -> Pods.created(a).compareTo(Pods.created(b)))
                    .toList();
            for (Pod extra : running.subList(Math.min(1, running.size()), running.size())) {
              podControl.delete(set, extra);
            }
          }
        } else if (!here.isEmpty()) {
          misscheduled++;
          here.forEach(pod -> podControl.delete(set, pod));
        }
      }
      // Pods for nodes that no longer exist.
      byNode.forEach(
          (node, list) -> {
            if (nodes.getStore().getByKey(node) == null) {
              list.forEach(pod -> podControl.delete(set, pod));
            }
          });
      unplaced.forEach(pod -> podControl.delete(set, pod));
    }
    writeStatus(set, byNode, desired, misscheduled);
  }

  private static Pod pinned(Pod pod, String node) {
    pod.getSpec()
        .getTolerations()
        .addAll(
            NodeEligibility.daemonTolerations(Boolean.TRUE.equals(pod.getSpec().getHostNetwork())));
    var term =
        new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder()
            .withMatchFields(
                new NodeSelectorRequirementBuilder()
                    .withKey("metadata.name")
                    .withOperator("In")
                    .withValues(node)
                    .build())
            .build();
    if (pod.getSpec().getAffinity() == null) {
      pod.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.Affinity());
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity.getNodeAffinity() == null) {
      affinity.setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinity());
    }
    affinity
        .getNodeAffinity()
        .setRequiredDuringSchedulingIgnoredDuringExecution(
            new io.fabric8.kubernetes.api.model.NodeSelectorBuilder()
                .withNodeSelectorTerms(term)
                .build());
    return pod;
  }

  private void writeStatus(
      DaemonSet set, Map<String, List<Pod>> byNode, int desired, int misscheduled) {
    int scheduled = 0;
    int ready = 0;
    for (var entry : byNode.entrySet()) {
      if (nodes.getStore().getByKey(entry.getKey()) == null) {
        continue;
      }
      List<Pod> active = entry.getValue().stream().filter(p -> !Pods.isTerminated(p)).toList();
      if (!active.isEmpty()) {
        scheduled++;
        if (active.stream().anyMatch(Pods::isReady)) {
          ready++;
        }
      }
    }
    DaemonSetStatus old = set.getStatus() == null ? new DaemonSetStatus() : set.getStatus();
    DaemonSetStatus status =
        new DaemonSetStatusBuilder(old)
            .withObservedGeneration(set.getMetadata().getGeneration())
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(scheduled - misscheduled)
            .withNumberMisscheduled(misscheduled)
            .withNumberReady(ready)
            .withNumberAvailable(ready)
            .withNumberUnavailable(Math.max(0, desired - ready))
            .withUpdatedNumberScheduled(scheduled - misscheduled)
            .build();
    if (Objects.equals(old, status)) {
      return;
    }
    client
        .apps()
        .daemonSets()
        .inNamespace(set.getMetadata().getNamespace())
        .resource(new DaemonSetBuilder(set).withStatus(status).build())
        .updateStatus();
  }
}
