package dev.skiff.controllers.replicaset;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerCondition;
import io.fabric8.kubernetes.api.model.ReplicationControllerConditionBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

final class ReplicationControllerKind implements ReplicatedKind<ReplicationController> {
  @Override
  public Class<ReplicationController> type() {
    return ReplicationController.class;
  }

  @Override
  public String apiVersion() {
    return "v1";
  }

  @Override
  public String kind() {
    return "ReplicationController";
  }

  @Override
  public String component() {
    return "replication-controller";
  }

  @Override
  public int replicas(ReplicationController rs) {
    Integer replicas = rs.getSpec().getReplicas();
    return replicas == null ? 1 : replicas;
  }

  @Override
  public LabelSelector selector(ReplicationController rs) {
    // An empty selector of a ReplicationController is defaulted from its template's labels.
    var selector = rs.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return rs.getSpec().getTemplate() == null || rs.getSpec().getTemplate().getMetadata() == null
          ? LabelSelector.nothing()
          : LabelSelector.fromMap(rs.getSpec().getTemplate().getMetadata().getLabels());
    }
    return LabelSelector.fromMap(selector);
  }

  @Override
  public PodTemplateSpec template(ReplicationController rs) {
    return rs.getSpec().getTemplate();
  }

  @Override
  public int minReadySeconds(ReplicationController rs) {
    Integer seconds = rs.getSpec().getMinReadySeconds();
    return seconds == null ? 0 : seconds;
  }

  @Override
  public ReplicaStatus status(ReplicationController rs) {
    ReplicationControllerStatus s = rs.getStatus();
    if (s == null) {
      return new ReplicaStatus(0, 0, 0, 0, 0, null, null);
    }
    ReplicationControllerCondition failure =
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
  public ReplicationController updateStatus(
      KubernetesClient client, ReplicationController rs, ReplicaStatus status, String now) {
    ReplicationController copy = new ReplicationControllerBuilder(rs).build();
    List<ReplicationControllerCondition> conditions = new ArrayList<>();
    if (rs.getStatus() != null) {
      rs.getStatus().getConditions().stream()
          .filter(c -> !"ReplicaFailure".equals(c.getType()))
          .forEach(conditions::add);
    }
    if (status.failureReason() != null) {
      conditions.add(
          new ReplicationControllerConditionBuilder()
              .withType("ReplicaFailure")
              .withStatus("True")
              .withReason(status.failureReason())
              .withMessage(status.failureMessage())
              .withLastTransitionTime(now)
              .build());
    }
    copy.setStatus(
        new ReplicationControllerStatusBuilder()
            .withReplicas(status.replicas())
            .withFullyLabeledReplicas(status.fullyLabeledReplicas())
            .withReadyReplicas(status.readyReplicas())
            .withAvailableReplicas(status.availableReplicas())
            .withObservedGeneration(status.observedGeneration())
            .withConditions(conditions)
            .build());
    return client
        .replicationControllers()
        .inNamespace(rs.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }

  private static int zero(Integer value) {
    return value == null ? 0 : value;
  }
}
