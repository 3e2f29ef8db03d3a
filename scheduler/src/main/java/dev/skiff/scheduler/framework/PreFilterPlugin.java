package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Runs once per cycle before Filter: precomputes state or rejects the pod outright. Returning
 * {@link Status#SKIP} skips this plugin's Filter for the cycle.
 */
public interface PreFilterPlugin extends Plugin {
  Status preFilter(CycleState state, Pod pod);

  /**
   * Updates this plugin's precomputed state as if {@code podToAdd} ran on the node; preemption uses
   * it to re-evaluate a node with nominated pods added or victims removed.
   */
  default void addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {}

  /** The inverse of {@link #addPod}. */
  default void removePod(
      CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {}
}
