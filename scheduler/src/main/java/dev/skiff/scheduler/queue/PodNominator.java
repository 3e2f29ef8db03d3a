package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.Nominator;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pods nominated to nodes by preemption, kept so lower-priority pods do not take the room the
 * preemptor is waiting for. Fed by the scheduler and by pods' {@code status.nominatedNodeName}.
 */
public final class PodNominator implements Nominator {
  private final Map<String, List<PodInfo>> byNode = new HashMap<>();
  private final Map<String, String> nodeOfPod = new HashMap<>();
  // Read without the lock on every node of every cycle; nominations are rare.
  private volatile boolean empty = true;

  @Override
  public List<PodInfo> nominatedPodsForNode(String nodeName) {
    if (empty) {
      return List.of();
    }
    synchronized (this) {
      List<PodInfo> pods = byNode.get(nodeName);
      return pods == null ? List.of() : List.copyOf(pods);
    }
  }

  @Override
  public synchronized void addNominatedPod(PodInfo pod, String nodeName) {
    deleteNominatedPod(pod.pod());
    if (nodeName == null || nodeName.isEmpty()) {
      return;
    }
    byNode.computeIfAbsent(nodeName, n -> new ArrayList<>()).add(pod);
    nodeOfPod.put(pod.key(), nodeName);
    empty = false;
  }

  @Override
  public synchronized void deleteNominatedPod(Pod pod) {
    String key = PodInfo.keyOf(pod);
    String node = nodeOfPod.remove(key);
    if (node != null) {
      List<PodInfo> pods = byNode.get(node);
      pods.removeIf(p -> p.key().equals(key));
      if (pods.isEmpty()) {
        byNode.remove(node);
      }
    }
    empty = nodeOfPod.isEmpty();
  }
}
