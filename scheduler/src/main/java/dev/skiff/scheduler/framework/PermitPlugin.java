package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;

/** Approves, rejects or holds ({@link Status.Code#WAIT}) a pod before it is bound. */
public interface PermitPlugin extends Plugin {
  /**
   * @param timeout how long a WAIT may last before the pod is rejected
   */
  record Decision(Status status, Duration timeout) {}

  Decision permit(CycleState state, Pod pod, String nodeName);
}
