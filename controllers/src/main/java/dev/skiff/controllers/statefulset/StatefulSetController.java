package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.deployment.PodTemplateHash;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import dev.skiff.controllers.history.ControllerHistory;
import dev.skiff.controllers.history.RevisionData;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs StatefulSets as upstream: pods named {@code <set>-<ordinal>} with their hostname and the
 * governing Service as subdomain, PersistentVolumeClaims from {@code volumeClaimTemplates} that
 * outlive their pods, OrderedReady (one pod at a time, each Running and Ready before the next;
 * scale-down from the highest ordinal) or Parallel management. Each pod template is a
 * ControllerRevision ({@code kubectl rollout history/undo}); pods carry their revision's name in
 * {@code controller-revision-hash}. RollingUpdate replaces pods from the highest ordinal down to
 * {@code partition}, {@code maxUnavailable} at a time (one by default); OnDelete replaces none.
 */
public final class StatefulSetController extends QueueController {
  static final String HASH_LABEL = "controller.kubernetes.io/hash";
  private static final int DEFAULT_HISTORY_LIMIT = 10;

  private final KubernetesClient client;
  private final SharedIndexInformer<StatefulSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final StatefulPodControl podControl;
  private final ControllerHistory history;

  public StatefulSetController(ControllerContext context) {
    super("statefulset");
    this.client = context.client();
    this.sets = context.informers().of(StatefulSet.class);
    this.pods = context.informers().of(Pod.class);
    SharedIndexInformer<ControllerRevision> revisions =
        context.informers().of(ControllerRevision.class);
    this.podControl = new StatefulPodControl(client, context.events("statefulset-controller"));
    this.history =
        new ControllerHistory(
            client,
            revisions,
            "apps/v1",
            "StatefulSet",
            new ControllerHistory.Naming() {
              @Override
              public String hash(
                  PodTemplateSpec template,
                  com.fasterxml.jackson.databind.JsonNode data,
                  Integer collisionCount) {
                return PodTemplateHash.of(RevisionData.bytes(data), collisionCount);
              }

              @Override
              public String hashLabel() {
                return HASH_LABEL;
              }
            });
    sets.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(Handlers.any(this::enqueueOwner));
    revisions.addEventHandler(Handlers.any(this::enqueueOwner));
  }

  private void enqueueOwner(io.fabric8.kubernetes.api.model.HasMetadata object) {
    OwnerReferences.controllerOf(object)
        .filter(ref -> "StatefulSet".equals(ref.getKind()))
        .ifPresent(
            ref ->
                enqueue(
                    Cache.namespaceKeyFunc(object.getMetadata().getNamespace(), ref.getName())));
  }

  @Override
  protected void reconcile(String key) {
    StatefulSet cached = sets.getIndexer().getByKey(key);
    if (cached == null) {
      return;
    }
    StatefulSet set = new StatefulSetBuilder(cached).build();
    String name = set.getMetadata().getName();
    TreeMap<Integer, Pod> byOrdinal = new TreeMap<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace())) {
      Integer ordinal = ordinalOf(name, pod);
      if (ordinal != null && OwnerReferences.isControlledBy(pod, set)) {
        byOrdinal.put(ordinal, pod);
      }
    }
    if (set.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    List<ControllerRevision> revisions = history.of(set);
    Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    ControllerHistory.Update update =
        history.update(set, revisions, set.getSpec().getTemplate(), collisions);
    ControllerRevision updateRevision = update.revision();
    String currentName = set.getStatus() == null ? null : set.getStatus().getCurrentRevision();
    ControllerRevision currentRevision =
        revisions.stream()
            .filter(r -> r.getMetadata().getName().equals(currentName))
            .findFirst()
            .orElse(updateRevision);
    new StatefulSetSync(set, byOrdinal, podControl)
        .run(
            currentRevision.getMetadata().getName(),
            RevisionData.template(currentRevision),
            updateRevision.getMetadata().getName());
    StatefulSetStatus status =
        writeStatus(
            set,
            byOrdinal,
            currentRevision.getMetadata().getName(),
            updateRevision.getMetadata().getName(),
            update.collisionCount());
    Set<String> live = new HashSet<>();
    live.add(status.getCurrentRevision());
    live.add(status.getUpdateRevision());
    byOrdinal.values().stream()
        .map(p -> p.getMetadata().getLabels().get(StatefulPodControl.REVISION_LABEL))
        .filter(Objects::nonNull)
        .forEach(live::add);
    Integer limit = set.getSpec().getRevisionHistoryLimit();
    history.truncate(history.of(set), live, limit == null ? DEFAULT_HISTORY_LIMIT : limit);
  }

  static Integer ordinalOf(String set, Pod pod) {
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

  /** The most pods a rolling update may have unavailable at once (at least one). */
  static int maxUnavailable(StatefulSet set, int replicas) {
    var strategy = set.getSpec().getUpdateStrategy();
    IntOrString value =
        strategy == null || strategy.getRollingUpdate() == null
            ? null
            : strategy.getRollingUpdate().getMaxUnavailable();
    if (value == null) {
      return 1;
    }
    int max =
        value.getIntVal() != null
            ? value.getIntVal()
            : (int)
                Math.floor(replicas * Integer.parseInt(value.getStrVal().replace("%", "")) / 100.0);
    return Math.max(1, max);
  }

  private StatefulSetStatus writeStatus(
      StatefulSet set,
      Map<Integer, Pod> byOrdinal,
      String currentRevision,
      String updateRevision,
      Integer collisionCount) {
    int minReadySeconds =
        set.getSpec().getMinReadySeconds() == null ? 0 : set.getSpec().getMinReadySeconds();
    Instant now = Instant.now();
    int present = 0;
    int ready = 0;
    int available = 0;
    int current = 0;
    int updated = 0;
    for (Pod pod : byOrdinal.values()) {
      if (pod.getMetadata().getDeletionTimestamp() != null || Pods.isTerminated(pod)) {
        continue;
      }
      present++;
      if (Pods.isReady(pod)) {
        ready++;
        if (Pods.isAvailable(pod, minReadySeconds, now)) {
          available++;
        } else {
          // Ready but not yet for minReadySeconds: count it available when it will be.
          enqueueAfter(
              Cache.metaNamespaceKeyFunc(set), Duration.ofSeconds(minReadySeconds).plusSeconds(1));
        }
      }
      String revision = pod.getMetadata().getLabels().get(StatefulPodControl.REVISION_LABEL);
      if (currentRevision.equals(revision)) {
        current++;
      }
      if (updateRevision.equals(revision)) {
        updated++;
      }
    }
    var strategy = set.getSpec().getUpdateStrategy();
    boolean rolling = strategy == null || !"OnDelete".equals(strategy.getType());
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    if (rolling && present == replicas && updated == present && ready == present) {
      // Every pod is back, updated and ready: the update revision becomes the current one.
      currentRevision = updateRevision;
      current = updated;
    }
    StatefulSetStatus old = set.getStatus() == null ? new StatefulSetStatus() : set.getStatus();
    StatefulSetStatus status =
        new StatefulSetStatusBuilder(old)
            .withObservedGeneration(set.getMetadata().getGeneration())
            .withReplicas(present)
            .withReadyReplicas(ready)
            .withAvailableReplicas(available)
            .withUpdatedReplicas(updated)
            .withCurrentReplicas(current)
            .withCurrentRevision(currentRevision)
            .withUpdateRevision(updateRevision)
            .withCollisionCount(collisionCount)
            .build();
    if (Objects.equals(old, status)) {
      return status;
    }
    client
        .apps()
        .statefulSets()
        .inNamespace(set.getMetadata().getNamespace())
        .resource(new StatefulSetBuilder(set).withStatus(status).build())
        .updateStatus();
    return status;
  }
}
