package dev.skiff.controllers.replicaset;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;

final class ReplicationControllerKind extends ReplicatedKindSupport<ReplicationController> {
  /** Converts between the two status classes through their shared wire form. */
  private static final ObjectMapper WIRE = new ObjectMapper();

  ReplicationControllerKind() {
    super(ReplicationController.class, "v1", "ReplicationController", "replication-controller");
  }

  @Override
  public LabelSelector selector(ReplicationController rc) {
    // An empty selector of a ReplicationController is defaulted from its template's labels.
    var selector = rc.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return rc.getSpec().getTemplate() == null || rc.getSpec().getTemplate().getMetadata() == null
          ? LabelSelector.nothing()
          : LabelSelector.fromMap(rc.getSpec().getTemplate().getMetadata().getLabels());
    }
    return LabelSelector.fromMap(selector);
  }

  @Override
  public PodTemplateSpec template(ReplicationController rc) {
    return rc.getSpec().getTemplate();
  }

  @Override
  Integer specReplicas(ReplicationController rc) {
    return rc.getSpec().getReplicas();
  }

  @Override
  Integer specMinReadySeconds(ReplicationController rc) {
    return rc.getSpec().getMinReadySeconds();
  }

  @Override
  ReplicaSetStatus storedStatus(ReplicationController rc) {
    return rc.getStatus() == null
        ? null
        : WIRE.convertValue(rc.getStatus(), ReplicaSetStatus.class);
  }

  @Override
  ReplicationController writeStatus(
      KubernetesClient client, ReplicationController rc, ReplicaSetStatus status) {
    ReplicationController copy = new ReplicationControllerBuilder(rc).build();
    copy.setStatus(WIRE.convertValue(status, ReplicationControllerStatus.class));
    return client
        .replicationControllers()
        .inNamespace(rc.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }
}
