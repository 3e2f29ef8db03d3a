package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Map;

/** Runs when no node passed Filter, to make room, as DefaultPreemption does. */
public interface PostFilterPlugin extends Plugin {
  /**
   * @param nodeToStatus why each node was filtered out
   */
  PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> nodeToStatus);

  /**
   * @param nominatedNodeName the node the pod should be retried on, or null
   */
  record PostFilterResult(String nominatedNodeName, Status status) {}
}
