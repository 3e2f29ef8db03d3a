package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Writes the binding; {@link Status#SKIP} hands the pod to the next bind plugin. */
public interface BindPlugin extends Plugin {
  Status bind(CycleState state, Pod pod, String nodeName);
}
