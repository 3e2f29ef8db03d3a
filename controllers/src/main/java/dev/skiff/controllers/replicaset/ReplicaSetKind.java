package dev.skiff.controllers.replicaset;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetConditionBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

final class ReplicaSetKind implements ReplicatedKind<ReplicaSet> {
  @Override
  public Class<ReplicaSet> type() {
    return ReplicaSet.class;
  }

  @Override
  public String apiVersion() {
    return "apps/v1";
  }

  @Override
  public String kind() {
    return "ReplicaSet";
  }

  @Override
  public String component() {
    return "replicaset-controller";
  }

  @Override
  public int replicas(ReplicaSet rs) {
    Integer replicas = rs.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  @Override
  public LabelSelector selector(ReplicaSet rs) {
    return rs.getSpec().getSelector() == null
        ? LabelSelector.nothing()
        : LabelSelector.fromModel(rs.getSpec().getSelector());
  }

  @Override
  public PodTemplateSpec template(ReplicaSet rs) {
    return rs.getSpec().getTemplate();
  }

  @Override
  public int minReadySeconds(ReplicaSet rs) {
    Integer seconds = rs.getSpec().getMinReadySeconds();
    return seconds == null ? 0 : seconds;
  }

  @Override
  public ReplicaStatus status(ReplicaSet rs) {
    ReplicaSetStatus s = rs.getStatus();
    if (s == null) {
      return new ReplicaStatus(0, 0, 0, 0, 0, null, null);
    }
    ReplicaSetCondition failure =
        s.getConditions().stream()
            .filter(c -> "ReplicaFailure".equals(c.getType()))
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
  public ReplicaSet updateStatus(
      KubernetesClient client, ReplicaSet rs, ReplicaStatus status, String now) {
    ReplicaSet copy = new ReplicaSetBuilder(rs).build();
    List<ReplicaSetCondition> conditions = new ArrayList<>();
    if (rs.getStatus() != null) {
      rs.getStatus().getConditions().stream()
          .filter(c -> !"ReplicaFailure".equals(c.getType()))
          .forEach(conditions::add);
    }
    if (status.failureReason() != null) {
      conditions.add(
          new ReplicaSetConditionBuilder()
              .withType("ReplicaFailure")
              .withStatus("True")
              .withReason(status.failureReason())
              .withMessage(status.failureMessage())
              .withLastTransitionTime(now)
              .build());
    }
    copy.setStatus(
        new ReplicaSetStatusBuilder()
            .withReplicas(status.replicas())
            .withFullyLabeledReplicas(status.fullyLabeledReplicas())
            .withReadyReplicas(status.readyReplicas())
            .withAvailableReplicas(status.availableReplicas())
            .withObservedGeneration(status.observedGeneration())
            .withConditions(conditions)
            .build());
    return client
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }

  private static int zero(Integer value) {
    return value == null ? 0 : value;
  }
}
