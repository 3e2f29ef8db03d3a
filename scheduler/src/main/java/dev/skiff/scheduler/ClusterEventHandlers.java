package dev.skiff.scheduler;

import dev.skiff.api.selection.LabelSelector;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.ClusterEvent.Action;
import dev.skiff.scheduler.framework.ClusterEvent.Kind;
import dev.skiff.scheduler.queue.PodNominator;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns informer notifications into cache, queue and lister updates, and into the cluster events
 * that move unschedulable pods back to the queue, as upstream's addAllEventHandlers.
 */
public final class ClusterEventHandlers {
  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final PodNominator nominator;
  private final ClusterObjects objects;
  private final Set<String> schedulerNames;

  public ClusterEventHandlers(
      SchedulerCache cache,
      SchedulingQueue queue,
      PodNominator nominator,
      ClusterObjects objects,
      Set<String> schedulerNames) {
    this.cache = cache;
    this.queue = queue;
    this.nominator = nominator;
    this.objects = objects;
    this.schedulerNames = Set.copyOf(schedulerNames);
  }

  private static boolean assigned(Pod pod) {
    return pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
  }

  private static boolean terminal(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private boolean responsibleFor(Pod pod) {
    String name = pod.getSpec().getSchedulerName();
    return schedulerNames.contains(name == null || name.isEmpty() ? "default-scheduler" : name);
  }

  public void podAdded(Pod pod) {
    if (assigned(pod)) {
      if (!terminal(pod)) {
        cache.addPod(pod);
        queue.onClusterEvent(new ClusterEvent(Kind.ASSIGNED_POD, Action.ADD));
      }
    } else if (responsibleFor(pod) && !terminal(pod) && !gated(pod)) {
      queue.add(pod);
      trackNomination(pod);
    }
  }

  // Pods with scheduling gates wait outside the queue until the last gate is removed.
  private static boolean gated(Pod pod) {
    var gates = pod.getSpec().getSchedulingGates();
    return gates != null && !gates.isEmpty();
  }

  public void podUpdated(Pod old, Pod pod) {
    if (assigned(pod)) {
      if (!assigned(old)) {
        queue.delete(pod);
        nominator.deleteNominatedPod(pod);
      }
      if (terminal(pod)) {
        cache.removePod(pod);
        queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
      } else {
        cache.updatePod(pod);
        queue.onClusterEvent(
            new ClusterEvent(Kind.ASSIGNED_POD, assigned(old) ? Action.UPDATE : Action.ADD));
      }
    } else if (responsibleFor(pod)) {
      if (terminal(pod) || gated(pod)) {
        queue.delete(pod);
        nominator.deleteNominatedPod(pod);
      } else if (gated(old) || specOrLabelsChanged(old, pod)) {
        queue.update(pod);
        trackNomination(pod);
      } else {
        trackNomination(pod);
      }
    }
  }

  // Our own status writes (conditions) must not retry the pod in a loop.
  private static boolean specOrLabelsChanged(Pod old, Pod pod) {
    return !Objects.equals(old.getSpec(), pod.getSpec())
        || !Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels());
  }

  private void trackNomination(Pod pod) {
    String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    if (nominated != null && !nominated.isEmpty()) {
      nominator.addNominatedPod(new PodInfo(pod), nominated);
    } else {
      nominator.deleteNominatedPod(pod);
    }
  }

  public void podDeleted(Pod pod) {
    if (assigned(pod)) {
      cache.removePod(pod);
      queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
    } else {
      queue.delete(pod);
      nominator.deleteNominatedPod(pod);
    }
  }

  public void nodeAdded(Node node) {
    cache.addNode(node);
    queue.onClusterEvent(ClusterEvent.NODE_ADD);
  }

  public void nodeUpdated(Node old, Node node) {
    cache.updateNode(node);
    var os = old.getStatus();
    var ns = node.getStatus();
    if (!Objects.equals(
        os == null ? null : os.getAllocatable(), ns == null ? null : ns.getAllocatable())) {
      queue.onClusterEvent(new ClusterEvent(Kind.NODE, Action.UPDATE_NODE_ALLOCATABLE));
    }
    if (!Objects.equals(old.getMetadata().getLabels(), node.getMetadata().getLabels())) {
      queue.onClusterEvent(new ClusterEvent(Kind.NODE, Action.UPDATE_NODE_LABEL));
    }
    var oldSpec = old.getSpec();
    var spec = node.getSpec();
    if (!Objects.equals(
            oldSpec == null ? null : oldSpec.getTaints(), spec == null ? null : spec.getTaints())
        || !Objects.equals(
            oldSpec == null ? null : oldSpec.getUnschedulable(),
            spec == null ? null : spec.getUnschedulable())) {
      queue.onClusterEvent(new ClusterEvent(Kind.NODE, Action.UPDATE_NODE_TAINT));
    }
    if (!Objects.equals(
        os == null ? null : os.getConditions(), ns == null ? null : ns.getConditions())) {
      queue.onClusterEvent(new ClusterEvent(Kind.NODE, Action.UPDATE_NODE_CONDITION));
    }
  }

  public void nodeDeleted(Node node) {
    cache.removeNode(node.getMetadata().getName());
    queue.onClusterEvent(new ClusterEvent(Kind.NODE, Action.DELETE));
  }

  /** Handlers for a lister-only kind: store the object, then tell the queue. */
  public <T> Consumer<T> upsert(Consumer<T> store, Kind kind, Action action) {
    return o -> {
      store.accept(o);
      queue.onClusterEvent(new ClusterEvent(kind, action));
    };
  }

  /**
   * Records a workload's pod selector for default topology spreading.
   *
   * @param selector null when the workload was deleted
   */
  public void workload(String kind, HasMetadata o, LabelSelector selector) {
    objects.putControllerSelector(
        kind, o.getMetadata().getNamespace(), o.getMetadata().getName(), selector);
  }
}
