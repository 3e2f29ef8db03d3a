package dev.skiff.controllers.deployment;

import dev.skiff.api.selection.LabelSelector;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.ControllerRefManager;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.List;

/**
 * Rolls Deployments out through ReplicaSets, one per pod template: RollingUpdate within
 * maxSurge/maxUnavailable or Recreate, proportional scaling mid-rollout, pause and resume,
 * revisions for {@code kubectl rollout history/undo}, progress deadlines and history cleanup.
 */
public final class DeploymentController extends QueueController {
  private final ControllerContext context;
  private final SharedIndexInformer<Deployment> deployments;
  private final SharedIndexInformer<ReplicaSet> replicaSetInformer;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final ControllerRefManager<ReplicaSet> claimer;
  private final ReplicaSetManager replicaSets;
  private final RollingUpdate rolling;
  private final ProportionalScaler scaler;
  private final RolloutStatus statuses;

  public DeploymentController(ControllerContext context) {
    super("deployment");
    this.context = context;
    this.deployments = context.informers().of(Deployment.class);
    this.replicaSetInformer = context.informers().of(ReplicaSet.class);
    this.pods = context.informers().of(Pod.class);
    this.events = context.events("deployment-controller");
    this.claimer = new ControllerRefManager<>(context.client(), ReplicaSet.class);
    this.replicaSets = new ReplicaSetManager(context.client(), events, context.clock());
    this.rolling = new RollingUpdate(replicaSets);
    this.scaler = new ProportionalScaler(replicaSets);
    this.statuses = new RolloutStatus(context.clock());
    deployments.addEventHandler(Handlers.any(this::enqueue));
    replicaSetInformer.addEventHandler(
        Handlers.of(
            this::replicaSetChanged,
            (old, rs) -> {
              var oldRef = OwnerReferences.controllerOf(old);
              if (oldRef.isPresent() && !oldRef.equals(OwnerReferences.controllerOf(rs))) {
                replicaSetChanged(old);
              }
              replicaSetChanged(rs);
            },
            this::replicaSetChanged));
    pods.addEventHandler(Handlers.of(p -> {}, (o, p) -> {}, this::podDeleted));
  }

  private Deployment ownerOf(String namespace, OwnerReference ref) {
    if (!"Deployment".equals(ref.getKind())) {
      return null;
    }
    Deployment d =
        deployments.getIndexer().getByKey(Cache.namespaceKeyFunc(namespace, ref.getName()));
    return d != null && d.getMetadata().getUid().equals(ref.getUid()) ? d : null;
  }

  private void replicaSetChanged(ReplicaSet rs) {
    var ref = OwnerReferences.controllerOf(rs);
    if (ref.isPresent()) {
      Deployment d = ownerOf(rs.getMetadata().getNamespace(), ref.get());
      if (d != null) {
        enqueue(d);
      }
      return;
    }
    for (Deployment d :
        deployments.getIndexer().byIndex(Cache.NAMESPACE_INDEX, rs.getMetadata().getNamespace())) {
      LabelSelector selector = selectorOf(d);
      if (!selector.isEverything() && selector.matches(rs.getMetadata().getLabels())) {
        enqueue(d);
      }
    }
  }

  /** A Recreate rollout waits for old pods to be gone; their deletion moves it on. */
  private void podDeleted(Pod pod) {
    var ref = OwnerReferences.controllerOf(pod);
    if (ref.isEmpty() || !"ReplicaSet".equals(ref.get().getKind())) {
      return;
    }
    ReplicaSet rs =
        replicaSetInformer
            .getIndexer()
            .getByKey(
                Cache.namespaceKeyFunc(pod.getMetadata().getNamespace(), ref.get().getName()));
    if (rs == null) {
      return;
    }
    OwnerReferences.controllerOf(rs)
        .map(r -> ownerOf(rs.getMetadata().getNamespace(), r))
        .filter(d -> !Fenceposts.isRolling(d))
        .ifPresent(this::enqueue);
  }

  private static LabelSelector selectorOf(Deployment d) {
    return d.getSpec().getSelector() == null
        ? LabelSelector.nothing()
        : LabelSelector.fromModel(d.getSpec().getSelector());
  }

  @Override
  protected void reconcile(String key) {
    Deployment cached = deployments.getIndexer().getByKey(key);
    if (cached == null) {
      return;
    }
    Deployment d = new DeploymentBuilder(cached).build();
    LabelSelector selector = selectorOf(d);
    if (selector.isEverything()) {
      events.warning(
          d,
          "SelectingAll",
          "This deployment is selecting all pods. A non-empty selector is required.");
      if (!java.util.Objects.equals(
          d.getMetadata().getGeneration(), ReplicaSetManager.statusOf(d).getObservedGeneration())) {
        ReplicaSetManager.statusOf(d).setObservedGeneration(d.getMetadata().getGeneration());
        replicaSets.writeDeployment(d, d.getStatus(), false);
      }
      return;
    }
    List<ReplicaSet> rss = claimReplicaSets(d, selector);
    if (d.getMetadata().getDeletionTimestamp() != null) {
      ReplicaSetManager.Split split = replicaSets.syncRevision(d, rss, false);
      writeStatus(d, statuses.calculate(split.all(), split.newRS(), d));
      return;
    }
    checkPausedConditions(d);
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      syncScaleOnly(d, rss);
      return;
    }
    if (ProportionalScaler.isScalingEvent(d, rss)) {
      syncScaleOnly(d, rss);
      return;
    }
    if (Fenceposts.isRolling(d)) {
      rolloutRolling(d, rss);
    } else {
      rolloutRecreate(d, rss);
    }
  }

  private List<ReplicaSet> claimReplicaSets(Deployment d, LabelSelector selector) {
    List<ReplicaSet> candidates =
        new ArrayList<>(
            replicaSetInformer
                .getIndexer()
                .byIndex(Cache.NAMESPACE_INDEX, d.getMetadata().getNamespace()));
    OwnerReference ref = OwnerReferences.controllerRef(d, "apps/v1", "Deployment");
    return claimer.claim(
        d,
        selector,
        candidates,
        ref,
        () -> {
          Deployment fresh =
              context
                  .client()
                  .apps()
                  .deployments()
                  .inNamespace(d.getMetadata().getNamespace())
                  .withName(d.getMetadata().getName())
                  .get();
          return fresh != null
              && fresh.getMetadata().getUid().equals(d.getMetadata().getUid())
              && fresh.getMetadata().getDeletionTimestamp() == null;
        });
  }

  private void checkPausedConditions(Deployment d) {
    if (!ReplicaSetManager.hasProgressDeadline(d)) {
      return;
    }
    DeploymentStatus status = ReplicaSetManager.statusOf(d);
    var progressing = DeploymentConditions.get(status, DeploymentConditions.PROGRESSING);
    boolean pausedCondition =
        progressing.isPresent()
            && DeploymentConditions.PAUSED.equals(progressing.get().getReason());
    boolean paused = Boolean.TRUE.equals(d.getSpec().getPaused());
    String now = replicaSets.now();
    if (paused && !pausedCondition) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.of(
              DeploymentConditions.PROGRESSING,
              "Unknown",
              DeploymentConditions.PAUSED,
              "Deployment is paused",
              now));
    } else if (!paused && pausedCondition) {
      DeploymentConditions.set(
          status,
          DeploymentConditions.of(
              DeploymentConditions.PROGRESSING,
              "Unknown",
              DeploymentConditions.RESUMED,
              "Deployment is resumed",
              now));
    } else {
      return;
    }
    replicaSets.writeDeployment(d, status, false);
  }

  /** A paused Deployment, or a change of replicas: resize without rolling out. */
  private void syncScaleOnly(Deployment d, List<ReplicaSet> rss) {
    ReplicaSetManager.Split split = replicaSets.syncRevision(d, rss, false);
    scaler.scale(d, split.newRS(), split.oldRSs());
    if (Boolean.TRUE.equals(d.getSpec().getPaused())) {
      replicaSets.cleanup(split.oldRSs(), d);
    }
    writeStatus(d, statuses.calculate(freshAll(d, split), freshNew(d, split), d));
  }

  private void rolloutRolling(Deployment d, List<ReplicaSet> rss) {
    ReplicaSetManager.Split split = replicaSets.syncRevision(d, rss, true);
    if (!rolling.step(d, split)) {
      DeploymentStatus current = statuses.calculate(split.all(), split.newRS(), d);
      if (RolloutStatus.complete(d, current)) {
        replicaSets.cleanup(split.oldRSs(), d);
      }
    }
    syncRolloutStatus(d, split);
  }

  private void rolloutRecreate(Deployment d, List<ReplicaSet> rss) {
    ReplicaSetManager.Split split = replicaSets.syncRevision(d, rss, false);
    boolean scaledDown = false;
    for (ReplicaSet old : ReplicaSetManager.active(split.oldRSs())) {
      replicaSets.scale(old, 0, d);
      scaledDown = true;
    }
    if (scaledDown || oldPodsRunning(split)) {
      syncRolloutStatus(d, split);
      return;
    }
    if (split.newRS() == null) {
      split = replicaSets.syncRevision(d, rss, true);
    }
    replicaSets.scale(split.newRS(), Fenceposts.replicas(d), d);
    if (RolloutStatus.complete(d, statuses.calculate(split.all(), split.newRS(), d))) {
      replicaSets.cleanup(split.oldRSs(), d);
    }
    syncRolloutStatus(d, split);
  }

  private boolean oldPodsRunning(ReplicaSetManager.Split split) {
    if (ReplicaSetManager.sumStatus(split.oldRSs(), s -> s.getReplicas()) > 0) {
      return true;
    }
    for (ReplicaSet old : split.oldRSs()) {
      for (Pod pod :
          pods.getIndexer()
              .byIndex(
                  dev.skiff.controllers.framework.Informers.OWNER_UID_INDEX,
                  old.getMetadata().getUid())) {
        if (!Pods.isTerminated(pod)) {
          return true;
        }
      }
    }
    return false;
  }

  private List<ReplicaSet> freshAll(Deployment d, ReplicaSetManager.Split split) {
    List<ReplicaSet> all = new ArrayList<>();
    for (ReplicaSet rs : split.all()) {
      ReplicaSet fresh = replicaSetInformer.getIndexer().getByKey(Cache.metaNamespaceKeyFunc(rs));
      all.add(fresh == null ? rs : fresh);
    }
    return all;
  }

  private ReplicaSet freshNew(Deployment d, ReplicaSetManager.Split split) {
    if (split.newRS() == null) {
      return null;
    }
    ReplicaSet fresh =
        replicaSetInformer.getIndexer().getByKey(Cache.metaNamespaceKeyFunc(split.newRS()));
    return fresh == null ? split.newRS() : fresh;
  }

  private void syncRolloutStatus(Deployment d, ReplicaSetManager.Split split) {
    DeploymentStatus status = statuses.rollout(freshAll(d, split), freshNew(d, split), d);
    writeStatus(d, status);
    statuses.recheckAfter(d, status).ifPresent(after -> enqueueAfter(keyOf(d), after));
  }

  private void writeStatus(Deployment d, DeploymentStatus status) {
    if (RolloutStatus.same(d.getStatus(), status)) {
      return;
    }
    replicaSets.writeDeployment(d, status, false);
  }
}
