package dev.skiff.controllers.daemonset;

import dev.skiff.controllers.deployment.PodTemplateHash;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Expectations;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import dev.skiff.controllers.history.ControllerHistory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps one pod of each DaemonSet on every eligible node: new nodes get one, nodes that stop
 * matching (or are removed) lose theirs, and duplicates are deleted. Daemon pods are pinned to
 * their node through required node affinity on {@code metadata.name}, as upstream does, and carry
 * the tolerations upstream adds; the scheduler binds them. Each pod template is a
 * ControllerRevision whose hash labels the pods ({@code kubectl rollout history/undo ds}); a
 * changed template rolls out with {@code maxUnavailable}/{@code maxSurge}, or waits for deletions
 * with OnDelete.
 */
public final class DaemonSetController extends QueueController {
  static final String GENERATION_LABEL = "pod-template-generation";
  private static final int DEFAULT_HISTORY_LIMIT = 10;
  private final KubernetesClient client;
  private final SharedIndexInformer<DaemonSet> sets;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final EventRecorder events;
  private final PodControl podControl;
  private final ControllerHistory history;
  private final Expectations expectations = new Expectations();

  public DaemonSetController(ControllerContext context) {
    super("daemonset");
    this.client = context.client();
    this.sets = context.informers().of(DaemonSet.class);
    this.pods = context.informers().of(Pod.class);
    this.nodes = context.informers().of(Node.class);
    this.events = context.events("daemonset-controller");
    this.podControl = new PodControl(client, events);
    SharedIndexInformer<ControllerRevision> revisions =
        context.informers().of(ControllerRevision.class);
    this.history =
        new ControllerHistory(
            client,
            revisions,
            "apps/v1",
            "DaemonSet",
            new ControllerHistory.Naming() {
              @Override
              public String hash(
                  PodTemplateSpec template,
                  com.fasterxml.jackson.databind.JsonNode data,
                  Integer collisionCount) {
                return PodTemplateHash.compute(template, collisionCount);
              }

              @Override
              public String hashLabel() {
                return DaemonSetRollout.HASH_LABEL;
              }
            });
    revisions.addEventHandler(
        Handlers.any(
            revision ->
                OwnerReferences.controllerOf(revision)
                    .filter(ref -> "DaemonSet".equals(ref.getKind()))
                    .ifPresent(
                        ref ->
                            enqueue(
                                Cache.namespaceKeyFunc(
                                    revision.getMetadata().getNamespace(), ref.getName())))));
    sets.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.of(
            pod -> podChanged(pod, pod.getMetadata().getDeletionTimestamp() == null, false),
            (old, pod) ->
                podChanged(
                    pod,
                    false,
                    old.getMetadata().getDeletionTimestamp() == null
                        && pod.getMetadata().getDeletionTimestamp() != null),
            pod -> podChanged(pod, false, true)));
    nodes.addEventHandler(
        Handlers.<Node>any(node -> sets.getStore().list().forEach(this::enqueue)));
  }

  private void podChanged(Pod pod, boolean created, boolean deleted) {
    var ref = OwnerReferences.controllerOf(pod);
    if (ref.isEmpty() || !"DaemonSet".equals(ref.get().getKind())) {
      return;
    }
    String key = Cache.namespaceKeyFunc(pod.getMetadata().getNamespace(), ref.get().getName());
    if (created) {
      expectations.creationObserved(key);
    }
    if (deleted) {
      expectations.deletionObserved(key);
    }
    enqueue(key);
  }

  /** The node a daemon pod is bound or pinned to. */
  static String nodeOf(Pod pod) {
    if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
      return pod.getSpec().getNodeName();
    }
    var affinity =
        pod.getSpec().getAffinity() == null ? null : pod.getSpec().getAffinity().getNodeAffinity();
    var required =
        affinity == null ? null : affinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    if (required == null) {
      return null;
    }
    return required.getNodeSelectorTerms().stream()
        .flatMap(t -> t.getMatchFields().stream())
        .filter(
            r ->
                "metadata.name".equals(r.getKey())
                    && "In".equals(r.getOperator())
                    && r.getValues().size() == 1)
        .map(r -> r.getValues().getFirst())
        .findFirst()
        .orElse(null);
  }

  @Override
  protected void reconcile(String key) {
    DaemonSet cached = sets.getIndexer().getByKey(key);
    if (cached == null || cached.getMetadata().getDeletionTimestamp() != null) {
      expectations.forget(key);
      return;
    }
    DaemonSet set = new DaemonSetBuilder(cached).build();
    Map<String, List<Pod>> byNode = new HashMap<>();
    List<Pod> unplaced = new ArrayList<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, set.getMetadata().getNamespace())) {
      if (!OwnerReferences.isControlledBy(pod, set)
          || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String node = nodeOf(pod);
      if (node == null) {
        unplaced.add(pod);
      } else {
        byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(pod);
      }
    }
    List<ControllerRevision> revisions = history.of(set);
    Integer collisions = set.getStatus() == null ? null : set.getStatus().getCollisionCount();
    ControllerHistory.Update update =
        history.update(set, revisions, set.getSpec().getTemplate(), collisions);
    String hash = update.revision().getMetadata().getLabels().get(DaemonSetRollout.HASH_LABEL);
    DaemonSetRollout rollout = new DaemonSetRollout(set, hash, Instant.now());

    Map<String, List<Pod>> eligible = new HashMap<>();
    int misscheduled = 0;
    for (Node node : nodes.getStore().list()) {
      String name = node.getMetadata().getName();
      List<Pod> here = byNode.getOrDefault(name, List.of());
      if (NodeEligibility.eligible(set.getSpec().getTemplate().getSpec(), node)) {
        eligible.put(name, here.stream().filter(p -> !Pods.isTerminated(p)).toList());
      } else if (!here.isEmpty()) {
        misscheduled++;
      }
    }
    int desired = eligible.size();
    // Until the informer has shown our last creations and deletions, the pods it lists are stale.
    if (expectations.satisfied(key)
        && !manage(key, set, rollout, byNode, eligible, unplaced, desired)
        && DaemonSetRollout.isRolling(set)) {
      DaemonSetRollout.Plan plan = rollout.plan(eligible, desired);
      apply(key, set, plan.delete(), plan.create(), hash);
    }
    writeStatus(set, rollout, eligible, desired, misscheduled, update.collisionCount());
    Set<String> live = new HashSet<>();
    live.add(update.revision().getMetadata().getName());
    byNode.values().stream()
        .flatMap(List::stream)
        .map(p -> p.getMetadata().getLabels().get(DaemonSetRollout.HASH_LABEL))
        .filter(Objects::nonNull)
        .forEach(h -> live.add(ControllerHistory.name(set.getMetadata().getName(), h)));
    Integer limit = set.getSpec().getRevisionHistoryLimit();
    history.truncate(history.of(set), live, limit == null ? DEFAULT_HISTORY_LIMIT : limit);
  }

  /**
   * Starts a pod on each eligible node without one and deletes failed, duplicate and misplaced
   * pods. With surge, a node may keep an old pod beside a new one until the new one is available.
   * Returns whether it changed anything.
   */
  private boolean manage(
      String key,
      DaemonSet set,
      DaemonSetRollout rollout,
      Map<String, List<Pod>> byNode,
      Map<String, List<Pod>> eligible,
      List<Pod> unplaced,
      int desired) {
    boolean surge = DaemonSetRollout.isRolling(set) && DaemonSetRollout.limits(set, desired)[0] > 0;
    List<Pod> delete = new ArrayList<>(unplaced);
    List<String> create = new ArrayList<>();
    byNode.forEach(
        (node, list) -> {
          if (!eligible.containsKey(node)) {
            delete.addAll(list);
          }
        });
    for (var entry : eligible.entrySet()) {
      List<Pod> all = byNode.getOrDefault(entry.getKey(), List.of());
      all.stream().filter(Pods::isTerminated).forEach(delete::add);
      List<Pod> running =
          entry.getValue().stream()
              .sorted((a, b) -> Pods.created(a).compareTo(Pods.created(b)))
              .toList();
      if (running.isEmpty()) {
        create.add(entry.getKey());
      } else if (!surge) {
        delete.addAll(running.subList(1, running.size()));
      } else {
        delete.addAll(surplus(rollout, running));
      }
    }
    apply(key, set, delete, create, rollout.hash());
    return !delete.isEmpty() || !create.isEmpty();
  }

  /** Deletes and creates, expecting to see each in the informer before acting again. */
  private void apply(
      String key, DaemonSet set, List<Pod> delete, List<String> create, String hash) {
    expectations.expect(key, create.size(), delete.size());
    RuntimeException first = null;
    for (Pod pod : delete) {
      try {
        podControl.delete(set, pod);
      } catch (RuntimeException e) {
        expectations.deletionObserved(key);
        first = first == null ? e : first;
      }
    }
    for (String node : create) {
      try {
        create(set, node, hash);
      } catch (RuntimeException e) {
        expectations.creationObserved(key);
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** With surge: keep the oldest new pod, and the oldest old one only while it covers for it. */
  private static List<Pod> surplus(DaemonSetRollout rollout, List<Pod> running) {
    List<Pod> surplus = new ArrayList<>();
    Pod oldestNew = null;
    Pod oldestOld = null;
    for (Pod pod : running) {
      if (rollout.isNew(pod) && oldestNew == null) {
        oldestNew = pod;
      } else if (!rollout.isNew(pod) && oldestOld == null) {
        oldestOld = pod;
      } else {
        surplus.add(pod);
      }
    }
    if (oldestNew != null
        && oldestOld != null
        && (!Pods.isReady(oldestOld) || rollout.available(oldestNew))) {
      surplus.add(oldestOld);
    }
    return surplus;
  }

  private void create(DaemonSet set, String node, String hash) {
    podControl.create(
        set,
        set.getSpec().getTemplate(),
        OwnerReferences.controllerRef(set, "apps/v1", "DaemonSet"),
        pod -> {
          pod.getMetadata().getLabels().put(DaemonSetRollout.HASH_LABEL, hash);
          pod.getMetadata()
              .getLabels()
              .put(GENERATION_LABEL, String.valueOf(set.getMetadata().getGeneration()));
          return pinned(pod, node);
        });
  }

  private static Pod pinned(Pod pod, String node) {
    pod.getSpec()
        .getTolerations()
        .addAll(
            NodeEligibility.daemonTolerations(Boolean.TRUE.equals(pod.getSpec().getHostNetwork())));
    var term =
        new io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder()
            .withMatchFields(
                new NodeSelectorRequirementBuilder()
                    .withKey("metadata.name")
                    .withOperator("In")
                    .withValues(node)
                    .build())
            .build();
    if (pod.getSpec().getAffinity() == null) {
      pod.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.Affinity());
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity.getNodeAffinity() == null) {
      affinity.setNodeAffinity(new io.fabric8.kubernetes.api.model.NodeAffinity());
    }
    affinity
        .getNodeAffinity()
        .setRequiredDuringSchedulingIgnoredDuringExecution(
            new io.fabric8.kubernetes.api.model.NodeSelectorBuilder()
                .withNodeSelectorTerms(term)
                .build());
    return pod;
  }

  private void writeStatus(
      DaemonSet set,
      DaemonSetRollout rollout,
      Map<String, List<Pod>> eligible,
      int desired,
      int misscheduled,
      Integer collisionCount) {
    int scheduled = 0;
    int ready = 0;
    int available = 0;
    int updated = 0;
    for (List<Pod> here : eligible.values()) {
      if (here.isEmpty()) {
        continue;
      }
      // Upstream reports on the oldest pod of each node.
      Pod pod = here.stream().min((a, b) -> Pods.created(a).compareTo(Pods.created(b))).get();
      scheduled++;
      if (Pods.isReady(pod)) {
        ready++;
      }
      if (rollout.available(pod)) {
        available++;
      } else if (Pods.isReady(pod) && set.getSpec().getMinReadySeconds() != null) {
        // Ready but not yet for minReadySeconds: count it available when it will be.
        enqueueAfter(
            Cache.metaNamespaceKeyFunc(set),
            java.time.Duration.ofSeconds(set.getSpec().getMinReadySeconds()).plusSeconds(1));
      }
      if (rollout.isNew(pod)) {
        updated++;
      }
    }
    DaemonSetStatus old = set.getStatus() == null ? new DaemonSetStatus() : set.getStatus();
    DaemonSetStatus status =
        new DaemonSetStatusBuilder(old)
            .withObservedGeneration(set.getMetadata().getGeneration())
            .withDesiredNumberScheduled(desired)
            .withCurrentNumberScheduled(scheduled)
            .withNumberMisscheduled(misscheduled)
            .withNumberReady(ready)
            .withNumberAvailable(available)
            .withNumberUnavailable(Math.max(0, desired - available))
            .withUpdatedNumberScheduled(updated)
            .withCollisionCount(collisionCount)
            .build();
    if (Objects.equals(old, status)) {
      return;
    }
    client
        .apps()
        .daemonSets()
        .inNamespace(set.getMetadata().getNamespace())
        .resource(new DaemonSetBuilder(set).withStatus(status).build())
        .updateStatus();
  }
}
