package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;

/** Does the API work a binding depends on, e.g. binding volumes; runs off the scheduling thread. */
public interface PreBindPlugin extends Plugin {
  Status preBind(CycleState state, Pod pod, String nodeName);
}
