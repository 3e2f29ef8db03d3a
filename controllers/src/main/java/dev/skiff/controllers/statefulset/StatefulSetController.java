package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.deployment.PodTemplateHash;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs StatefulSets as upstream: pods named {@code <set>-<ordinal>} with their hostname and the
 * governing Service as subdomain, PersistentVolumeClaims from {@code volumeClaimTemplates} that
 * outlive their pods, OrderedReady (one pod at a time, each Running and Ready before the next;
 * scale-down from the highest ordinal) or Parallel management, and RollingUpdate from the highest
 * ordinal down to {@code partition}, or OnDelete.
 */
public final class StatefulSetController extends QueueController {
  static final String REVISION_LABEL = "controller-revision-hash";
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private final KubernetesClient client;
  private final SharedIndexInformer<StatefulSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;

  public StatefulSetController(ControllerContext context) {
    super("statefulset");
    this.client = context.client();
    this.sets = context.informers().of(StatefulSet.class);
    this.pods = context.informers().of(Pod.class);
    this.events = context.events("statefulset-controller");
    sets.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.any(
            pod ->
                OwnerReferences.controllerOf(pod)
                    .filter(ref -> "StatefulSet".equals(ref.getKind()))
                    .ifPresent(
                        ref ->
                            enqueue(
                                Cache.namespaceKeyFunc(
                                    pod.getMetadata().getNamespace(), ref.getName())))));
  }

  static String revisionOf(StatefulSet set) {
    Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    return set.getMetadata().getName()
        + "-"
        + PodTemplateHash.compute(set.getSpec().getTemplate(), collisions);
  }

  @Override
  protected void reconcile(String key) {
    StatefulSet cached = sets.getIndexer().getByKey(key);
    if (cached == null) {
      return;
    }
    StatefulSet set = new StatefulSetBuilder(cached).build();
    String name = set.getMetadata().getName();
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    int start =
        set.getSpec().getOrdinals() == null || set.getSpec().getOrdinals().getStart() == null
            ? 0
            : set.getSpec().getOrdinals().getStart();
    boolean parallel = "Parallel".equals(set.getSpec().getPodManagementPolicy());
    String revision = revisionOf(set);
    TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace())) {
      Integer ordinal = ordinalOf(name, pod);
      if (ordinal != null && OwnerReferences.isControlledBy(pod, set)) {
        byOrdinal.put(ordinal, pod);
      }
    }
    if (set.getMetadata().getDeletionTimestamp() == null) {
      sync(set, byOrdinal, start, replicas, parallel, revision);
    }
    writeStatus(set, byOrdinal, start, replicas, revision);
  }

  private static Integer ordinalOf(String set, Pod pod) {
    String podName = pod.getMetadata().getName();
    if (!podName.startsWith(set + "-")) {
      return null;
    }
    try {
      return Integer.valueOf(podName.substring(set.length() + 1));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private void sync(
      StatefulSet set,
      TreeMap<Integer, Pod> byOrdinal,
      int start,
      int replicas,
      boolean parallel,
      String revision) {
    // Replace terminated pods; create missing ones in order.
    for (int ordinal = start; ordinal < start + replicas; ordinal++) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod != null
          && Pods.isTerminated(pod)
          && pod.getMetadata().getDeletionTimestamp() == null) {
        delete(set, pod);
        if (!parallel) {
          return;
        }
        continue;
      }
      if (pod == null) {
        create(set, ordinal, revision);
        if (!parallel) {
          return;
        }
        continue;
      }
      if (!parallel
          && (pod.getMetadata().getDeletionTimestamp() != null
              || !Pods.isReady(pod)
              || !"Running".equals(Pods.phase(pod)))) {
        return;
      }
    }
    // Scale down from the highest ordinal.
    for (Map.Entry<Integer, Pod> entry : byOrdinal.descendingMap().entrySet()) {
      int ordinal = entry.getKey();
      if (ordinal >= start && ordinal < start + replicas) {
        continue;
      }
      Pod pod = entry.getValue();
      if (pod.getMetadata().getDeletionTimestamp() == null) {
        delete(set, pod);
      }
      if (!parallel) {
        return;
      }
    }
    var strategy = set.getSpec().getUpdateStrategy();
    if (strategy != null && "OnDelete".equals(strategy.getType())) {
      return;
    }
    int partition =
        strategy == null
                || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null
            ? 0
            : strategy.getRollingUpdate().getPartition();
    // Rolling update from the highest ordinal down to the partition, one pod at a time.
    for (int ordinal = start + replicas - 1; ordinal >= start + partition; ordinal--) {
      Pod pod = byOrdinal.get(ordinal);
      if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || !Pods.isReady(pod)) {
        return;
      }
      if (!revision.equals(pod.getMetadata().getLabels().get(REVISION_LABEL))) {
        delete(set, pod);
        return;
      }
    }
  }

  private void create(StatefulSet set, int ordinal, String revision) {
    String setName = set.getMetadata().getName();
    String podName = setName + "-" + ordinal;
    Pod pod =
        PodControl.fromTemplate(
            set.getSpec().getTemplate(),
            null,
            OwnerReferences.controllerRef(set, "apps/v1", "StatefulSet"));
    pod.getMetadata().setName(podName);
    pod.getMetadata().setNamespace(set.getMetadata().getNamespace());
    pod.getMetadata().getLabels().put(REVISION_LABEL, revision);
    pod.getMetadata().getLabels().put(POD_NAME_LABEL, podName);
    pod.getMetadata().getLabels().put(POD_INDEX_LABEL, Integer.toString(ordinal));
    pod.getSpec().setHostname(podName);
    pod.getSpec().setSubdomain(set.getSpec().getServiceName());
    for (PersistentVolumeClaim template : set.getSpec().getVolumeClaimTemplates()) {
      String claim = template.getMetadata().getName() + "-" + podName;
      ensureClaim(set, template, claim, podName);
      pod.getSpec()
          .getVolumes()
          .removeIf(v -> v.getName().equals(template.getMetadata().getName()));
      pod.getSpec()
          .getVolumes()
          .add(
              new VolumeBuilder()
                  .withName(template.getMetadata().getName())
                  .withNewPersistentVolumeClaim()
                  .withClaimName(claim)
                  .endPersistentVolumeClaim()
                  .build());
    }
    try {
      client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
      events.normal(
          set,
          "SuccessfulCreate",
          "create Pod " + podName + " in StatefulSet " + setName + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return;
      }
      events.warning(
          set,
          "FailedCreate",
          "create Pod "
              + podName
              + " in StatefulSet "
              + setName
              + " failed error: "
              + PodControl.message(e));
      throw e;
    }
  }

  private void ensureClaim(
      StatefulSet set, PersistentVolumeClaim template, String claim, String podName) {
    var claims = client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace());
    if (claims.withName(claim).get() != null) {
      return;
    }
    PersistentVolumeClaim pvc =
        new PersistentVolumeClaimBuilder(template)
            .editMetadata()
            .withName(claim)
            .withNamespace(set.getMetadata().getNamespace())
            .addToLabels(
                set.getSpec().getSelector() == null
                    ? Map.of()
                    : set.getSpec().getSelector().getMatchLabels())
            .endMetadata()
            .withStatus(null)
            .build();
    try {
      claims.resource(pvc).create();
      events.normal(
          set,
          "SuccessfulCreate",
          "create Claim "
              + claim
              + " Pod "
              + podName
              + " in StatefulSet "
              + set.getMetadata().getName()
              + " success");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        events.warning(
            set,
            "FailedCreate",
            "create Claim "
                + claim
                + " for Pod "
                + podName
                + " in StatefulSet "
                + set.getMetadata().getName()
                + " failed error: "
                + PodControl.message(e));
        throw e;
      }
    }
  }

  private void delete(StatefulSet set, Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
      events.normal(
          set,
          "SuccessfulDelete",
          "delete Pod "
              + pod.getMetadata().getName()
              + " in StatefulSet "
              + set.getMetadata().getName()
              + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void writeStatus(
      StatefulSet set, TreeMap<Integer, Pod> byOrdinal, int start, int replicas, String revision) {
    int present = 0;
    int ready = 0;
    int updated = 0;
    for (Pod pod : byOrdinal.values()) {
      if (pod.getMetadata().getDeletionTimestamp() != null || Pods.isTerminated(pod)) {
        continue;
      }
      present++;
      if (Pods.isReady(pod)) {
        ready++;
      }
      if (revision.equals(pod.getMetadata().getLabels().get(REVISION_LABEL))) {
        updated++;
      }
    }
    StatefulSetStatus old = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
    String currentRevision =
        updated == present && present == replicas
            ? revision
            : (old.getCurrentRevision() == null ? revision : old.getCurrentRevision());
    StatefulSetStatus status =
        new StatefulSetStatusBuilder(old)
            .withObservedGeneration(set.getMetadata().getGeneration())
            .withReplicas(present)
            .withReadyReplicas(ready)
            .withAvailableReplicas(ready)
            .withUpdatedReplicas(updated)
            .withCurrentReplicas(currentRevision.equals(revision) ? updated : present - updated)
            .withCurrentRevision(currentRevision)
            .withUpdateRevision(revision)
            .build();
    if (Objects.equals(old, status)) {
      return;
    }
    client
        .apps()
        .statefulSets()
        .inNamespace(set.getMetadata().getNamespace())
        .resource(new StatefulSetBuilder(set).withStatus(status).build())
        .updateStatus();
  }
}
