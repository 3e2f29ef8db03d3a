package dev.skiff.controllers.deployment;

import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Optional;

/** Deployment conditions with upstream's reasons, as {@code kubectl rollout status} reads them. */
final class DeploymentConditions {
  static final String AVAILABLE = "Available";
  static final String PROGRESSING = "Progressing";
  static final String REPLICA_FAILURE = "ReplicaFailure";

  static final String MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable";
  static final String MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable";
  static final String NEW_RS_AVAILABLE = "NewReplicaSetAvailable";
  static final String RS_UPDATED = "ReplicaSetUpdated";
  static final String NEW_RS_CREATED = "NewReplicaSetCreated";
  static final String FOUND_NEW_RS = "FoundNewReplicaSet";
  static final String RS_CREATE_ERROR = "ReplicaSetCreateError";
  static final String TIMED_OUT = "ProgressDeadlineExceeded";
  static final String PAUSED = "DeploymentPaused";
  static final String RESUMED = "DeploymentResumed";

  private DeploymentConditions() {}

  static DeploymentCondition of(
      String type, String status, String reason, String message, String now) {
    return new DeploymentConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastUpdateTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  static Optional<DeploymentCondition> get(DeploymentStatus status, String type) {
    if (status == null) {
      return Optional.empty();
    }
    return status.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /**
   * Sets a condition; one with the same status and reason is left alone, and one whose status does
   * not change keeps its transition time.
   */
  static void set(DeploymentStatus status, DeploymentCondition condition) {
    var current = get(status, condition.getType());
    if (current.isPresent()
        && current.get().getStatus().equals(condition.getStatus())
        && current.get().getReason().equals(condition.getReason())) {
      return;
    }
    if (current.isPresent() && current.get().getStatus().equals(condition.getStatus())) {
      condition.setLastTransitionTime(current.get().getLastTransitionTime());
    }
    remove(status, condition.getType());
    status.getConditions().add(condition);
  }

  static void remove(DeploymentStatus status, String type) {
    status.getConditions().removeIf(c -> type.equals(c.getType()));
  }
}
