package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Questions controllers ask about pods, answered as upstream's podutil does. */
public final class Pods {
  private Pods() {}

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null
        ? "Pending"
        : pod.getStatus().getPhase();
  }

  /** Neither terminated nor being deleted: it still counts towards a controller's replicas. */
  public static boolean isActive(Pod pod) {
    String phase = phase(pod);
    return !"Succeeded".equals(phase)
        && !"Failed".equals(phase)
        && pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static boolean isTerminated(Pod pod) {
    String phase = phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  public static Optional<PodCondition> readyCondition(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(c -> "Ready".equals(c.getType()))
        .findFirst();
  }

  public static boolean isReady(Pod pod) {
    return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** When the pod last became ready, if it is ready and the time is known. */
  public static Optional<Instant> readySince(Pod pod) {
    return readyCondition(pod)
        .filter(c -> "True".equals(c.getStatus()) && c.getLastTransitionTime() != null)
        .map(c -> Instant.parse(c.getLastTransitionTime()));
  }

  /** Ready for at least {@code minReadySeconds} at {@code now}. */
  public static boolean isAvailable(Pod pod, int minReadySeconds, Instant now) {
    if (!isReady(pod)) {
      return false;
    }
    if (minReadySeconds <= 0) {
      return true;
    }
    return readySince(pod)
        .map(since -> !since.plus(Duration.ofSeconds(minReadySeconds)).isAfter(now))
        .orElse(false);
  }

  /** The highest restart count of the pod's containers, as upstream ranks pods. */
  public static int maxRestarts(Pod pod) {
    if (pod.getStatus() == null) {
      return 0;
    }
    int max = 0;
    for (ContainerStatus status : pod.getStatus().getContainerStatuses()) {
      if (status.getRestartCount() != null) {
        max = Math.max(max, status.getRestartCount());
      }
    }
    return max;
  }

  public static Instant created(Pod pod) {
    String created = pod.getMetadata().getCreationTimestamp();
    return created == null ? Instant.EPOCH : Instant.parse(created);
  }
}
