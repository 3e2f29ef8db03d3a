package dev.skiff.controllers.disruption;

import dev.skiff.controllers.framework.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many pods the controllers of a budget's pods want: the summed {@code spec.replicas} of each
 * distinct Deployment, ReplicaSet, StatefulSet or ReplicationController managing them.
 */
final class ExpectedScale {
  private final SharedIndexInformer<ReplicaSet> replicaSets;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<StatefulSet> statefulSets;
  private final SharedIndexInformer<ReplicationController> replicationControllers;

  ExpectedScale(
      SharedIndexInformer<ReplicaSet> replicaSets,
      SharedIndexInformer<Deployment> deployments,
      SharedIndexInformer<StatefulSet> statefulSets,
      SharedIndexInformer<ReplicationController> replicationControllers) {
    this.replicaSets = replicaSets;
    this.deployments = deployments;
    this.statefulSets = statefulSets;
    this.replicationControllers = replicationControllers;
  }

  /** The summed scale, or a message saying which pod has no controller we know. */
  int of(List<Pod> pods) throws ScaleUnknownException {
    Map<String, Integer> scales = new HashMap<>();
    for (Pod pod : pods) {
      OwnerReference ref =
          OwnerReferences.controllerOf(pod)
              .orElseThrow(
                  () ->
                      new ScaleUnknownException(
                          "found no controllers for pod \"" + pod.getMetadata().getName() + "\""));
      String namespace = pod.getMetadata().getNamespace();
      Optional<Map.Entry<String, Integer>> scale = scaleOf(namespace, ref);
      if (scale.isEmpty()) {
        throw new ScaleUnknownException(
            "found no controllers for pod \"" + pod.getMetadata().getName() + "\"");
      }
      scales.put(scale.get().getKey(), scale.get().getValue());
    }
    return scales.values().stream().mapToInt(Integer::intValue).sum();
  }

  private Optional<Map.Entry<String, Integer>> scaleOf(String namespace, OwnerReference ref) {
    String key = Cache.namespaceKeyFunc(namespace, ref.getName());
    return switch (ref.getKind()) {
      case "ReplicaSet" -> {
        ReplicaSet rs = owned(replicaSets.getIndexer().getByKey(key), ref);
        if (rs == null) {
          yield Optional.empty();
        }
        Optional<OwnerReference> parent = OwnerReferences.controllerOf(rs);
        if (parent.isPresent() && "Deployment".equals(parent.get().getKind())) {
          Deployment d =
              owned(
                  deployments
                      .getIndexer()
                      .getByKey(Cache.namespaceKeyFunc(namespace, parent.get().getName())),
                  parent.get());
          yield d == null ? Optional.empty() : entry(d, d.getSpec().getReplicas());
        }
        yield entry(rs, rs.getSpec().getReplicas());
      }
      case "StatefulSet" -> {
        StatefulSet s = owned(statefulSets.getIndexer().getByKey(key), ref);
        yield s == null ? Optional.empty() : entry(s, s.getSpec().getReplicas());
      }
      case "ReplicationController" -> {
        ReplicationController rc = owned(replicationControllers.getIndexer().getByKey(key), ref);
        yield rc == null ? Optional.empty() : entry(rc, rc.getSpec().getReplicas());
      }
      default -> Optional.empty();
    };
  }

  private static <T extends HasMetadata> T owned(T object, OwnerReference ref) {
    return object != null && ref.getUid().equals(object.getMetadata().getUid()) ? object : null;
  }

  private static Optional<Map.Entry<String, Integer>> entry(HasMetadata owner, Integer replicas) {
    return Optional.of(Map.entry(owner.getMetadata().getUid(), replicas == null ? 1 : replicas));
  }

  /** The budget needs the scale of a pod whose controller we cannot find. */
  static final class ScaleUnknownException extends Exception {
    private static final long serialVersionUID = 1L;

    ScaleUnknownException(String message) {
      super(message);
    }
  }
}
