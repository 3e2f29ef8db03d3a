package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.SchedulerClient;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records the scheduler's writes in memory instead of sending them to an API server. */
public final class FakeSchedulerClient implements SchedulerClient {
  /** A recorded core/v1 Event. */
  public record Event(String pod, String type, String reason, String message) {}

  /** A recorded status write. */
  public record StatusUpdate(String pod, PodCondition condition, String nominatedNodeName) {}

  public final Map<String, String> bindings = new ConcurrentHashMap<>();
  public final List<Event> events = new CopyOnWriteArrayList<>();
  public final List<StatusUpdate> statusUpdates = new CopyOnWriteArrayList<>();
  public final List<String> preempted = new CopyOnWriteArrayList<>();
  public final Map<String, String> boundVolumes = new ConcurrentHashMap<>();
  public final Map<String, String> selectedNodes = new ConcurrentHashMap<>();

  /** When set, bind throws this message, as an API server rejecting the binding would. */
  public volatile String failBindingWith;

  /** Called after a successful bind, e.g. to play the informer's update back. */
  public volatile java.util.function.BiConsumer<Pod, String> onBind = (p, n) -> {};

  /** Called after a status write, e.g. to apply it to the stored pod. */
  public volatile java.util.function.BiConsumer<Pod, StatusUpdate> onStatus = (p, u) -> {};

  /** Called for each evicted victim, e.g. to play its deletion back. */
  public volatile java.util.function.Consumer<Pod> onPreempt = p -> {};

  @Override
  public void bind(Pod pod, String nodeName) {
    if (failBindingWith != null) {
      throw new IllegalStateException(failBindingWith);
    }
    if (bindings.putIfAbsent(PodInfo.keyOf(pod), nodeName) != null) {
      throw new IllegalStateException(
          "Operation cannot be fulfilled on pods/binding \""
              + pod.getMetadata().getName()
              + "\": pod is already assigned");
    }
    onBind.accept(pod, nodeName);
  }

  @Override
  public void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName) {
    StatusUpdate u = new StatusUpdate(PodInfo.keyOf(pod), condition, nominatedNodeName);
    statusUpdates.add(u);
    onStatus.accept(pod, u);
  }

  @Override
  public void recordEvent(Pod pod, String type, String reason, String action, String message) {
    events.add(new Event(PodInfo.keyOf(pod), type, reason, message));
  }

  @Override
  public void preemptPod(Pod victim, Pod preemptor, String nodeName) {
    preempted.add(PodInfo.keyOf(victim));
    onPreempt.accept(victim);
  }

  @Override
  public void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) {
    boundVolumes.put(volume.getMetadata().getName(), claim.getMetadata().getName());
  }

  @Override
  public void selectNodeForClaim(PersistentVolumeClaim claim, String nodeName) {
    selectedNodes.put(claim.getMetadata().getName(), nodeName);
  }

  public List<Event> eventsFor(String podKey) {
    return events.stream().filter(e -> e.pod().equals(podKey)).toList();
  }
}
