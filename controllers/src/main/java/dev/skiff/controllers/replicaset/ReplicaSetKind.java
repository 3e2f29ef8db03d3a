package dev.skiff.controllers.replicaset;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

final class ReplicaSetKind extends ReplicatedKindSupport<ReplicaSet> {
  ReplicaSetKind() {
    super(ReplicaSet.class, "apps/v1", "ReplicaSet", "replicaset-controller");
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
  Integer specReplicas(ReplicaSet rs) {
    return rs.getSpec().getReplicas();
  }

  @Override
  Integer specMinReadySeconds(ReplicaSet rs) {
    return rs.getSpec().getMinReadySeconds();
  }

  @Override
  ReplicaSetStatus storedStatus(ReplicaSet rs) {
    return rs.getStatus();
  }

  @Override
  ReplicaSet writeStatus(KubernetesClient client, ReplicaSet rs, ReplicaSetStatus status) {
    ReplicaSet copy = new ReplicaSetBuilder(rs).build();
    copy.setStatus(status);
    return client
        .apps()
        .replicaSets()
        .inNamespace(rs.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }
}
