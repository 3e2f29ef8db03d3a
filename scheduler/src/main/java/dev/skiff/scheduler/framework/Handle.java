package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.Snapshot;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * What plugins may use besides the pod: the cycle's snapshot, listers, writes and other plugins.
 */
public interface Handle {
  Snapshot snapshot();

  ClusterObjects objects();

  SchedulerClient client();

  Nominator nominator();

  /** Pods held by a Permit plugin, to allow or reject. */
  WaitingPods waitingPods();

  /** All Filter plugins of the profile on one node, as they ran in the cycle. */
  Status runFilterPlugins(CycleState state, Pod pod, NodeInfo nodeInfo);

  /** Filter plugins with the node's nominated pods counted, as the cycle runs them. */
  Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo);

  /** Runs every PreFilter plugin's {@link PreFilterPlugin#removePod} for a simulated eviction. */
  void runPreFilterRemovePod(CycleState state, Pod pod, PodInfo victim, NodeInfo nodeInfo);

  /** Runs every PreFilter plugin's {@link PreFilterPlugin#addPod}. */
  void runPreFilterAddPod(CycleState state, Pod pod, PodInfo added, NodeInfo nodeInfo);
}
