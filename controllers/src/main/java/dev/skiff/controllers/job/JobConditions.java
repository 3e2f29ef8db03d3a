package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.Optional;

/** Job conditions with upstream's types and reasons. */
final class JobConditions {
  static final String COMPLETE = "Complete";
  static final String FAILED = "Failed";
  static final String SUSPENDED = "Suspended";
  static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
  static final String FAILURE_TARGET = "FailureTarget";

  private JobConditions() {}

  static Optional<JobCondition> get(JobStatus status, String type) {
    return status == null
        ? Optional.empty()
        : status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  static boolean isTrue(JobStatus status, String type) {
    return get(status, type).map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  static boolean finished(JobStatus status) {
    return isTrue(status, COMPLETE) || isTrue(status, FAILED);
  }

  /** Sets a condition; an unchanged status keeps its transition time. */
  static void set(
      JobStatus status, String type, String value, String reason, String message, String now) {
    var current = get(status, type);
    if (current.isPresent()
        && current.get().getStatus().equals(value)
        && java.util.Objects.equals(current.get().getReason(), reason)) {
      return;
    }
    String transition =
        current.isPresent() && current.get().getStatus().equals(value)
            ? current.get().getLastTransitionTime()
            : now;
    status.getConditions().removeIf(c -> type.equals(c.getType()));
    JobCondition condition =
        new JobConditionBuilder()
            .withType(type)
            .withStatus(value)
            .withReason(reason)
            .withMessage(message)
            .withLastProbeTime(now)
            .withLastTransitionTime(transition)
            .build();
    status.getConditions().add(condition);
  }
}
