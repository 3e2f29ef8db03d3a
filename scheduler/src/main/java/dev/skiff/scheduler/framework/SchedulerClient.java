package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;

/**
 * Every write the scheduler makes to the cluster. The real one goes through the API server; tests
 * use an in-memory fake. Failures are thrown as unchecked exceptions carrying the server's message.
 */
public interface SchedulerClient {
  /** POSTs a Binding to {@code pods/binding}. */
  void bind(Pod pod, String nodeName);

  /**
   * Sets the pod's condition through the status subresource.
   *
   * @param condition the PodScheduled condition to set, or null to leave conditions alone
   * @param nominatedNodeName the new {@code status.nominatedNodeName}; null leaves it as is and the
   *     empty string clears it
   */
  void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName);

  /**
   * Records a core/v1 Event about the pod from default-scheduler.
   *
   * @param type Normal or Warning
   */
  void recordEvent(Pod pod, String type, String reason, String action, String message);

  /**
   * Evicts a preemption victim: marks it with a DisruptionTarget condition, then deletes it with
   * its own grace period.
   */
  void preemptPod(Pod victim, Pod preemptor, String nodeName);

  /** Pre-binds a PersistentVolume to a claim by setting its claimRef. */
  void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim);

  /**
   * Asks the provisioner for a volume on this node (annotation volume.kubernetes.io/selected-node).
   */
  void selectNodeForClaim(PersistentVolumeClaim claim, String nodeName);
}
