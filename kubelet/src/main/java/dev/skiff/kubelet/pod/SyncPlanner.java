package dev.skiff.kubelet.pod;

import dev.skiff.kubelet.status.RuntimePodState;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what a pod needs from the runtime (upstream's computePodActions): sandbox, init
 * containers one after another, then the containers, restarted as the restart policy says. Pure.
 */
public final class SyncPlanner {
  private SyncPlanner() {}

  /**
   * @param unhealthy names of containers whose liveness (or startup) probe failed: they restart
   */
  public static PodActions plan(Pod pod, RuntimePodState rt, Set<String> unhealthy) {
    var spec = pod.getSpec();
    String policy = spec.getRestartPolicy() == null ? "Always" : spec.getRestartPolicy();
    List<PodActions.ToKill> kill = new ArrayList<>();
    Set<String> names = new HashSet<>();
    spec.getInitContainers().forEach(c -> names.add(c.getName()));
    spec.getContainers().forEach(c -> names.add(c.getName()));
    List<Container> ephemeral = EphemeralContainerSpecs.of(pod);
    ephemeral.forEach(c -> names.add(c.getName()));

    boolean done = podDone(pod, rt, policy);
    if (!rt.sandboxReady()) {
      if (done || (rt.sandbox() != null && everRan(pod, rt) && "Never".equals(policy))) {
        return new PodActions(containersRunning(rt), false, List.of(), List.of(), done);
      }
      List<PodActions.ToStart> start = new ArrayList<>();
      if (!spec.getInitContainers().isEmpty()) {
        Container first = spec.getInitContainers().getFirst();
        start.add(toStart(first, true, rt));
      } else {
        for (Container c : spec.getContainers()) {
          start.add(toStart(c, false, rt));
        }
      }
      return new PodActions(rt.sandbox() != null, true, List.of(), start, false);
    }

    for (ContainerStatus s : rt.containers()) {
      if (s.state() != ContainerState.CONTAINER_RUNNING) {
        continue;
      }
      String name = s.metadata().name();
      if (!names.contains(name)) {
        kill.add(new PodActions.ToKill(s.id(), name, "Container is not in the pod spec"));
      }
    }

    for (Container c : spec.getInitContainers()) {
      Optional<ContainerStatus> latest = rt.latest(c.getName());
      if (latest.isEmpty()) {
        return new PodActions(false, false, kill, List.of(toStart(c, true, rt)), false);
      }
      ContainerStatus s = latest.get();
      if (s.state() == ContainerState.CONTAINER_EXITED && s.exitCode() == 0) {
        continue;
      }
      if (s.state() == ContainerState.CONTAINER_RUNNING) {
        return new PodActions(false, false, kill, List.of(), false);
      }
      if (s.state() == ContainerState.CONTAINER_EXITED && "Never".equals(policy)) {
        // A failed init container fails a pod that never restarts.
        return new PodActions(true, false, kill, List.of(), true);
      }
      return new PodActions(false, false, kill, List.of(toStart(c, true, rt)), false);
    }

    List<PodActions.ToStart> start = new ArrayList<>();
    for (Container c : spec.getContainers()) {
      Optional<ContainerStatus> latest = rt.latest(c.getName());
      if (latest.isEmpty()) {
        start.add(toStart(c, false, rt));
        continue;
      }
      ContainerStatus s = latest.get();
      switch (s.state()) {
        case CONTAINER_RUNNING -> {
          String hash = s.labels().get(PodLabels.CONTAINER_HASH);
          if (hash != null && !hash.equals(ContainerHash.of(c))) {
            kill.add(
                new PodActions.ToKill(
                    s.id(),
                    c.getName(),
                    "Container " + c.getName() + " definition changed, will be restarted"));
            start.add(toStart(c, false, rt));
          } else if (unhealthy.contains(c.getName())) {
            kill.add(
                new PodActions.ToKill(
                    s.id(),
                    c.getName(),
                    "Container " + c.getName() + " failed liveness probe, will be restarted"));
            if (!"Never".equals(policy)) {
              start.add(toStart(c, false, rt));
            }
          }
        }
        case CONTAINER_EXITED -> {
          if (shouldRestart(policy, s.exitCode())) {
            start.add(toStart(c, false, rt));
          }
        }
        default -> start.add(toStart(c, false, rt));
      }
    }
    if (!done) {
      // Ephemeral containers run once: started when added, never restarted.
      for (Container c : ephemeral) {
        if (rt.latest(c.getName()).isEmpty()) {
          start.add(toStart(c, false, rt));
        }
      }
    }
    return new PodActions(done, false, kill, start, done);
  }

  static boolean shouldRestart(String policy, int exitCode) {
    return switch (policy) {
      case "Never" -> false;
      case "OnFailure" -> exitCode != 0;
      default -> true;
    };
  }

  /** Every container exited and none will restart (never for restartPolicy Always). */
  static boolean podDone(Pod pod, RuntimePodState rt, String policy) {
    if ("Always".equals(policy)) {
      return false;
    }
    for (Container c : pod.getSpec().getInitContainers()) {
      Optional<ContainerStatus> s = rt.latest(c.getName());
      if (s.isPresent()
          && s.get().state() == ContainerState.CONTAINER_EXITED
          && s.get().exitCode() != 0
          && "Never".equals(policy)) {
        return true;
      }
    }
    for (Container c : pod.getSpec().getContainers()) {
      Optional<ContainerStatus> s = rt.latest(c.getName());
      if (s.isEmpty() || s.get().state() != ContainerState.CONTAINER_EXITED) {
        return false;
      }
      if (shouldRestart(policy, s.get().exitCode())) {
        return false;
      }
    }
    return !pod.getSpec().getContainers().isEmpty();
  }

  private static boolean everRan(Pod pod, RuntimePodState rt) {
    return pod.getSpec().getContainers().stream().anyMatch(c -> rt.latest(c.getName()).isPresent());
  }

  private static boolean containersRunning(RuntimePodState rt) {
    return rt.containers().stream().anyMatch(c -> c.state() == ContainerState.CONTAINER_RUNNING);
  }

  private static PodActions.ToStart toStart(Container c, boolean init, RuntimePodState rt) {
    Optional<ContainerStatus> latest = rt.latest(c.getName());
    int attempt = latest.map(s -> s.metadata().attempt() + 1).orElse(0);
    long finished = latest.map(ContainerStatus::finishedAt).orElse(0L);
    return new PodActions.ToStart(c, init, attempt, finished);
  }
}
