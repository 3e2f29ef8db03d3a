package dev.skiff.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import java.util.List;

/**
 * What one sync must do to make the runtime match the pod.
 *
 * @param killPod stop every container and the sandbox (a sandbox to replace, or a pod that is done)
 * @param createSandbox create a new sandbox (after {@code killPod} when one existed)
 * @param toKill running containers to stop (spec changed, liveness failed, not in the spec)
 * @param toStart containers to start, in order (at most one init container)
 * @param podDone every container has finished for good under the restart policy
 */
public record PodActions(
    boolean killPod,
    boolean createSandbox,
    List<ToKill> toKill,
    List<ToStart> toStart,
    boolean podDone) {

  /** A container to stop, and why (the Killing event's message). */
  public record ToKill(String containerId, String name, String reason) {}

  /**
   * A container to start.
   *
   * @param attempt its restart count after this start
   * @param lastFinishedAt when its previous attempt exited (epoch nanos), 0 if it never ran: the
   *     back-off counts from it
   */
  public record ToStart(Container container, boolean init, int attempt, long lastFinishedAt) {}

  public PodActions {
    toKill = List.copyOf(toKill);
    toStart = List.copyOf(toStart);
  }
}
