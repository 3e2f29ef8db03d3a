package dev.skiff.kubelet.status;

import java.time.Instant;
import java.util.Map;

/**
 * What the kubelet knows about a pod beyond the runtime's state.
 *
 * @param waiting why containers that should run do not, by container name
 * @param ready readiness probe results by container name (no entry: no probe yet, not ready)
 * @param started startup probe results by container name (no entry: started once running when there
 *     is no startup probe)
 * @param terminating the pod's containers were stopped because it is being deleted
 * @param hostIp the node's IP
 */
public record PodStatusContext(
    Map<String, ContainerWaiting> waiting,
    Map<String, Boolean> ready,
    Map<String, Boolean> started,
    boolean terminating,
    String hostIp,
    Instant now) {
  public PodStatusContext {
    waiting = Map.copyOf(waiting);
    ready = Map.copyOf(ready);
    started = Map.copyOf(started);
  }
}
