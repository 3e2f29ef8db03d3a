package dev.skiff.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The spec defaults and status bookkeeping both replicated kinds share. Their statuses have one
 * wire form under two class names, so the bookkeeping works on {@link ReplicaSetStatus} and each
 * kind says how to read and write its own.
 */
abstract class ReplicatedKindSupport<T extends HasMetadata> implements ReplicatedKind<T> {
  private static final String REPLICA_FAILURE = "ReplicaFailure";

  private final Class<T> type;
  private final String apiVersion;
  private final String kind;
  private final String component;

  ReplicatedKindSupport(Class<T> type, String apiVersion, String kind, String component) {
    this.type = type;
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.component = component;
  }

  @Override
  public final Class<T> type() {
    return type;
  }

  @Override
  public final String apiVersion() {
    return apiVersion;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final String component() {
    return component;
  }

  /** The spec's replicas field, null when unset. */
  abstract Integer specReplicas(T owner);

  /** The spec's minReadySeconds field, null when unset. */
  abstract Integer specMinReadySeconds(T owner);

  /** The stored status in its ReplicaSet spelling, or null when there is none. */
  abstract ReplicaSetStatus storedStatus(T owner);

  /** Writes {@code status} onto a copy of {@code owner} through the status subresource. */
  abstract T writeStatus(KubernetesClient client, T owner, ReplicaSetStatus status);

  @Override
  public final int replicas(T owner) {
    Integer replicas = specReplicas(owner);
    return replicas == null ? 1 : replicas;
  }

  @Override
  public final int minReadySeconds(T owner) {
    Integer seconds = specMinReadySeconds(owner);
    return seconds == null ? 0 : seconds;
  }

  @Override
  public final ReplicaStatus status(T owner) {
    ReplicaSetStatus s = storedStatus(owner);
    if (s == null) {
      return new ReplicaStatus(0, 0, 0, 0, 0, null, null);
    }
    ReplicaSetCondition failure =
        s.getConditions().stream()
            .filter(c -> REPLICA_FAILURE.equals(c.getType()))
            .findFirst()
            .orElse(null);
    return new ReplicaStatus(
        zero(s.getReplicas()),
        zero(s.getFullyLabeledReplicas()),
        zero(s.getReadyReplicas()),
        zero(s.getAvailableReplicas()),
        s.getObservedGeneration() == null ? 0 : s.getObservedGeneration(),
        failure == null ? null : failure.getReason(),
        failure == null ? null : failure.getMessage());
  }

  @Override
  public final T updateStatus(KubernetesClient client, T owner, ReplicaStatus status, String now) {
    List<ReplicaSetCondition> conditions = new ArrayList<>();
    ReplicaSetStatus stored = storedStatus(owner);
    if (stored != null) {
      stored.getConditions().stream()
          .filter(c -> !REPLICA_FAILURE.equals(c.getType()))
          .forEach(conditions::add);
    }
    if (status.failureReason() != null) {
      conditions.add(
          new ReplicaSetConditionBuilder()
              .withType(REPLICA_FAILURE)
              .withStatus("True")
              .withReason(status.failureReason())
              .withMessage(status.failureMessage())
              .withLastTransitionTime(now)
              .build());
    }
    return writeStatus(
        client,
        owner,
        new ReplicaSetStatusBuilder()
            .withReplicas(status.replicas())
            .withFullyLabeledReplicas(status.fullyLabeledReplicas())
            .withReadyReplicas(status.readyReplicas())
            .withAvailableReplicas(status.availableReplicas())
            .withObservedGeneration(status.observedGeneration())
            .withConditions(conditions)
            .build());
  }

  private static int zero(Integer value) {
    return value == null ? 0 : value;
  }
}
