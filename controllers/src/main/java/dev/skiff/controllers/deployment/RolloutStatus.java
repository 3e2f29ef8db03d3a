package dev.skiff.controllers.deployment;

import static dev.skiff.controllers.deployment.ReplicaSetManager.sumSpec;
import static dev.skiff.controllers.deployment.ReplicaSetManager.sumStatus;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes a Deployment's status from its ReplicaSets: replica counts, the Available condition, and
 * the Progressing condition that {@code kubectl rollout status} reads (ReplicaSetUpdated while it
 * moves, NewReplicaSetAvailable when done, ProgressDeadlineExceeded when stuck).
 */
final class RolloutStatus {
  private final Clock clock;

  RolloutStatus(Clock clock) {
    this.clock = clock;
  }

  private String now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** Counts and the Available condition; other conditions are carried over. */
  DeploymentStatus calculate(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    int availableCount = sumStatus(all, s -> s.getAvailableReplicas());
    int total = sumSpec(all);
    DeploymentStatus previous = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    DeploymentStatus status =
        new DeploymentStatusBuilder()
            .withObservedGeneration(d.getMetadata().getGeneration())
            .withReplicas(sumStatus(all, s -> s.getReplicas()))
            .withUpdatedReplicas(
                newRS == null ? 0 : sumStatus(List.of(newRS), s -> s.getReplicas()))
            .withReadyReplicas(sumStatus(all, s -> s.getReadyReplicas()))
            .withAvailableReplicas(availableCount)
            .withUnavailableReplicas(Math.max(0, total - availableCount))
            .withCollisionCount(previous.getCollisionCount())
            .withConditions(
                previous.getConditions().stream()
                    .map(
                        c ->
                            new io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder(c)
                                .build())
                    .toList())
            .build();
    status.setConditions(new java.util.ArrayList<>(status.getConditions()));
    if (availableCount >= Fenceposts.replicas(d) - Fenceposts.maxUnavailable(d)) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.of(
              DeploymentConditions.AVAILABLE,
              "True",
              DeploymentConditions.MINIMUM_REPLICAS_AVAILABLE,
              "Deployment has minimum availability.",
              now()));
    } else {
      DeploymentConditions.set(
          status,
          DeploymentConditions.of(
              DeploymentConditions.AVAILABLE,
              "False",
              DeploymentConditions.MINIMUM_REPLICAS_UNAVAILABLE,
              "Deployment does not have minimum availability.",
              now()));
    }
    return status;
  }

  static boolean complete(Deployment d, DeploymentStatus s) {
    int desired = Fenceposts.replicas(d);
    return zero(s.getUpdatedReplicas()) == desired
        && zero(s.getReplicas()) == desired
        && zero(s.getAvailableReplicas()) == desired
        && zero(s.getObservedGeneration()) >= zero(d.getMetadata().getGeneration());
  }

  private static boolean progressing(Deployment d, DeploymentStatus s) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = zero(old.getReplicas()) - zero(old.getUpdatedReplicas());
    int newOld = zero(s.getReplicas()) - zero(s.getUpdatedReplicas());
    return zero(s.getUpdatedReplicas()) > zero(old.getUpdatedReplicas())
        || newOld < oldOld
        || zero(s.getReadyReplicas()) > zero(old.getReadyReplicas())
        || zero(s.getAvailableReplicas()) > zero(old.getAvailableReplicas());
  }

  private boolean timedOut(Deployment d, DeploymentStatus s) {
    if (!ReplicaSetManager.hasProgressDeadline(d)) {
      return false;
    }
    Optional<DeploymentCondition> c = DeploymentConditions.get(s, DeploymentConditions.PROGRESSING);
    if (c.isEmpty() || DeploymentConditions.NEW_RS_AVAILABLE.equals(c.get().getReason())) {
      return false;
    }
    if (DeploymentConditions.TIMED_OUT.equals(c.get().getReason())) {
      return true;
    }
    Instant from = Instant.parse(c.get().getLastUpdateTime());
    return from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(clock.instant());
  }

  /** The full status of a rollout step, including the Progressing condition. */
  DeploymentStatus rollout(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    DeploymentStatus status = calculate(all, newRS, d);
    if (!ReplicaSetManager.hasProgressDeadline(d)) {
      DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
    }
    Optional<DeploymentCondition> current =
        DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    boolean alreadyComplete =
        Objects.equals(status.getReplicas(), status.getUpdatedReplicas())
            && current.isPresent()
            && DeploymentConditions.NEW_RS_AVAILABLE.equals(current.get().getReason());
    if (ReplicaSetManager.hasProgressDeadline(d) && !alreadyComplete) {
      String subject =
          newRS != null
              ? "ReplicaSet \"" + newRS.getMetadata().getName() + "\""
              : "Deployment \"" + d.getMetadata().getName() + "\"";
      if (complete(d, status)) {
        DeploymentConditions.set(
            status,
            DeploymentConditions.of(
                DeploymentConditions.PROGRESSING,
                "True",
                DeploymentConditions.NEW_RS_AVAILABLE,
                subject + " has successfully progressed.",
                now()));
      } else if (progressing(d, status)) {
        DeploymentCondition condition =
            DeploymentConditions.of(
                DeploymentConditions.PROGRESSING,
                "True",
                DeploymentConditions.RS_UPDATED,
                subject + " is progressing.",
                now());
        // Progress refreshes lastUpdateTime, which restarts the deadline.
        if (current.isPresent() && "True".equals(current.get().getStatus())) {
          condition.setLastTransitionTime(current.get().getLastTransitionTime());
        }
        DeploymentConditions.remove(status, DeploymentConditions.PROGRESSING);
        status.getConditions().add(condition);
      } else if (timedOut(d, status)) {
        DeploymentConditions.set(
            status,
            DeploymentConditions.of(
                DeploymentConditions.PROGRESSING,
                "False",
                DeploymentConditions.TIMED_OUT,
                subject + " has timed out progressing.",
                now()));
      }
    }
    Optional<io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition> failure =
        all.stream()
            .filter(rs -> rs.getStatus() != null)
            .flatMap(rs -> rs.getStatus().getConditions().stream())
            .filter(c -> "ReplicaFailure".equals(c.getType()))
            .findFirst();
    if (failure.isPresent()) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.of(
              DeploymentConditions.REPLICA_FAILURE,
              failure.get().getStatus(),
              failure.get().getReason(),
              failure.get().getMessage(),
              now()));
    } else {
      DeploymentConditions.remove(status, DeploymentConditions.REPLICA_FAILURE);
    }
    return status;
  }

  /** When to look again so a stuck rollout is marked ProgressDeadlineExceeded on time. */
  Optional<Duration> recheckAfter(Deployment d, DeploymentStatus status) {
    Optional<DeploymentCondition> c =
        DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    if (!ReplicaSetManager.hasProgressDeadline(d)
        || c.isEmpty()
        || complete(d, status)
        || DeploymentConditions.TIMED_OUT.equals(c.get().getReason())
        || DeploymentConditions.NEW_RS_AVAILABLE.equals(c.get().getReason())) {
      return Optional.empty();
    }
    Instant deadline =
        Instant.parse(c.get().getLastUpdateTime())
            .plusSeconds(d.getSpec().getProgressDeadlineSeconds());
    Duration after = Duration.between(clock.instant(), deadline);
    return Optional.of(
        after.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : after.plusSeconds(1));
  }

  /** Status equality that ignores timestamps of conditions that did not otherwise change. */
  static boolean same(DeploymentStatus a, DeploymentStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && zero(a.getReplicas()) == zero(b.getReplicas())
        && zero(a.getUpdatedReplicas()) == zero(b.getUpdatedReplicas())
        && zero(a.getReadyReplicas()) == zero(b.getReadyReplicas())
        && zero(a.getAvailableReplicas()) == zero(b.getAvailableReplicas())
        && zero(a.getUnavailableReplicas()) == zero(b.getUnavailableReplicas())
        && Objects.equals(a.getCollisionCount(), b.getCollisionCount())
        && a.getConditions().equals(b.getConditions());
  }

  private static int zero(Integer value) {
    return value == null ? 0 : value;
  }

  private static long zero(Long value) {
    return value == null ? 0 : value;
  }
}
