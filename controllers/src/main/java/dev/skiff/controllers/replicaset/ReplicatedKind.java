package dev.skiff.controllers.replicaset;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * What the replica controller needs from the kind it manages: ReplicaSet (apps/v1) or
 * ReplicationController (v1), which differ only in how they spell the same things.
 */
interface ReplicatedKind<T extends HasMetadata> {
  Class<T> type();

  String apiVersion();

  String kind();

  /** The controller's name, also the source of its events. */
  String component();

  int replicas(T owner);

  LabelSelector selector(T owner);

  PodTemplateSpec template(T owner);

  int minReadySeconds(T owner);

  ReplicaStatus status(T owner);

  /** Writes {@code status} through the status subresource; returns the stored object. */
  T updateStatus(KubernetesClient client, T owner, ReplicaStatus status, String now);
}
