package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Claims plugin-side resources once a node is chosen; must undo them in {@link #unreserve}. */
public interface ReservePlugin extends Plugin {
  Status reserve(CycleState state, Pod pod, String nodeName);

  void unreserve(CycleState state, Pod pod, String nodeName);
}
