package dev.skiff.kubelet.status;

import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.PodSandboxStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the runtime holds for one pod: its newest sandbox (null when none) and every container of
 * it, all attempts.
 */
public record RuntimePodState(PodSandboxStatus sandbox, List<ContainerStatus> containers) {
  public static final RuntimePodState NONE = new RuntimePodState(null, List.of());

  public RuntimePodState {
    containers = List.copyOf(containers);
  }

  public boolean sandboxReady() {
    return sandbox != null && sandbox.state() == PodSandboxState.SANDBOX_READY;
  }

  /** Attempts of one container, newest first. */
  public List<ContainerStatus> attempts(String name) {
    return containers.stream()
        .filter(c -> c.metadata().name().equals(name))
        .sorted(
            Comparator.comparingInt((ContainerStatus c) -> c.metadata().attempt())
                .thenComparingLong(ContainerStatus::createdAt)
                .reversed())
        .toList();
  }

  public Optional<ContainerStatus> latest(String name) {
    return attempts(name).stream().findFirst();
  }

  public Optional<ContainerStatus> previous(String name) {
    return attempts(name).stream().skip(1).findFirst();
  }
}
