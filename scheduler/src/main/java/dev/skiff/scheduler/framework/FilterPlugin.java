package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.NodeInfo;
import io.fabric8.kubernetes.api.model.Pod;

/** Decides whether the pod can run on one node; called for many nodes, so keep it cheap. */
public interface FilterPlugin extends Plugin {
  Status filter(CycleState state, Pod pod, NodeInfo nodeInfo);
}
