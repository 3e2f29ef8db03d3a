package dev.skiff.controllers.replicaset;

import dev.skiff.api.selection.LabelSelector;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.ControllerRefManager;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Expectations;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import dev.skiff.controllers.framework.SlowStart;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Keeps {@code replicas} pods matching each ReplicaSet (or ReplicationController): creates the
 * missing ones in slow-start batches, deletes the least valuable extras, adopts and releases pods
 * by controller reference, and reports replicas, ready and available counts in status.
 */
public final class ReplicaSetController<T extends HasMetadata> extends QueueController {
  /** At most this many pods are created or deleted in one sync, as upstream's burstReplicas. */
  static final int BURST_REPLICAS = 500;

  private final ControllerContext context;
  private final ReplicatedKind<T> kind;
  private final SharedIndexInformer<T> owners;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations = new Expectations();
  private final EventRecorder events;
  private final PodControl podControl;
  private final ControllerRefManager<Pod> claimer;

  private ReplicaSetController(String name, ControllerContext context, ReplicatedKind<T> kind) {
    super(name);
    this.context = context;
    this.kind = kind;
    this.owners = context.informers().of(kind.type());
    this.pods = context.informers().of(Pod.class);
    this.events = context.events(kind.component());
    this.podControl = new PodControl(context.client(), events);
    this.claimer = new ControllerRefManager<>(context.client(), Pod.class);
    owners.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(Handlers.of(this::podAdded, this::podUpdated, this::podDeleted));
  }

  public static ReplicaSetController<ReplicaSet> forReplicaSets(ControllerContext context) {
    return new ReplicaSetController<>("replicaset", context, new ReplicaSetKind());
  }

  public static ReplicaSetController<ReplicationController> forReplicationControllers(
      ControllerContext context) {
    return new ReplicaSetController<>(
        "replicationcontroller", context, new ReplicationControllerKind());
  }

  private T ownerOf(Pod pod, OwnerReference ref) {
    if (!kind.kind().equals(ref.getKind())) {
      return null;
    }
    T owner =
        owners
            .getIndexer()
            .getByKey(Cache.namespaceKeyFunc(pod.getMetadata().getNamespace(), ref.getName()));
    return owner != null && ref.getUid().equals(owner.getMetadata().getUid()) ? owner : null;
  }

  private void podAdded(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      podDeleted(pod);
      return;
    }
    var ref = OwnerReferences.controllerOf(pod);
    if (ref.isPresent()) {
      T owner = ownerOf(pod, ref.get());
      if (owner != null) {
        expectations.creationObserved(keyOf(owner));
        enqueue(owner);
      }
      return;
    }
    ownersMatching(pod).forEach(this::enqueue);
  }

  private void podUpdated(Pod old, Pod pod) {
    if (Objects.equals(
        old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) {
      return;
    }
    if (pod.getMetadata().getDeletionTimestamp() != null
        && old.getMetadata().getDeletionTimestamp() == null) {
      podDeleted(pod);
      return;
    }
    var oldRef = OwnerReferences.controllerOf(old);
    var ref = OwnerReferences.controllerOf(pod);
    if (oldRef.isPresent() && !oldRef.equals(ref)) {
      T oldOwner = ownerOf(old, oldRef.get());
      if (oldOwner != null) {
        enqueue(oldOwner);
      }
    }
    if (ref.isPresent()) {
      T owner = ownerOf(pod, ref.get());
      if (owner != null) {
        enqueue(owner);
        int minReady = kind.minReadySeconds(owner);
        if (minReady > 0 && !Pods.isReady(old) && Pods.isReady(pod)) {
          // Becomes available only later; look again when it should be.
          enqueueAfter(keyOf(owner), Duration.ofSeconds(minReady).plusSeconds(1));
        }
      }
      return;
    }
    if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())
        || oldRef.isPresent()) {
      ownersMatching(pod).forEach(this::enqueue);
    }
  }

  private void podDeleted(Pod pod) {
    var ref = OwnerReferences.controllerOf(pod);
    if (ref.isEmpty()) {
      return;
    }
    T owner = ownerOf(pod, ref.get());
    if (owner != null) {
      expectations.deletionObserved(keyOf(owner));
      enqueue(owner);
    }
  }

  private List<T> ownersMatching(Pod pod) {
    List<T> matching = new ArrayList<>();
    for (T owner :
        owners.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
      LabelSelector selector = kind.selector(owner);
      if (!selector.isEverything() && selector.matches(pod.getMetadata().getLabels())) {
        matching.add(owner);
      }
    }
    return matching;
  }

  @Override
  protected void reconcile(String key) throws Exception {
    T owner = owners.getIndexer().getByKey(key);
    if (owner == null) {
      expectations.forget(key);
      return;
    }
    boolean needsSync =
        expectations.satisfied(key) && owner.getMetadata().getDeletionTimestamp() == null;
    LabelSelector selector = kind.selector(owner);
    List<Pod> active = new ArrayList<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, owner.getMetadata().getNamespace())) {
      if (Pods.isActive(pod)) {
        active.add(pod);
      }
    }
    OwnerReference ref = OwnerReferences.controllerRef(owner, kind.apiVersion(), kind.kind());
    List<Pod> claimed = claimer.claim(owner, selector, active, ref, () -> stillValid(owner));

    Exception manageError = null;
    int diff = claimed.size() - kind.replicas(owner);
    if (needsSync) {
      try {
        manageReplicas(key, owner, claimed, ref);
      } catch (KubernetesClientException e) {
        manageError = e;
      }
    }
    ReplicaStatus status = calculateStatus(owner, claimed, manageError, diff);
    writeStatus(owner, status);
    int minReady = kind.minReadySeconds(owner);
    if (manageError == null
        && minReady > 0
        && status.readyReplicas() == kind.replicas(owner)
        && status.availableReplicas() != kind.replicas(owner)) {
      enqueueAfter(key, Duration.ofSeconds(minReady));
    }
    if (manageError != null) {
      throw manageError;
    }
  }

  private boolean stillValid(T owner) {
    T fresh =
        context
            .client()
            .resources(kind.type())
            .inNamespace(owner.getMetadata().getNamespace())
            .withName(owner.getMetadata().getName())
            .get();
    return fresh != null
        && fresh.getMetadata().getUid().equals(owner.getMetadata().getUid())
        && fresh.getMetadata().getDeletionTimestamp() == null;
  }

  private void manageReplicas(String key, T owner, List<Pod> claimed, OwnerReference ref)
      throws InterruptedException {
    int diff = claimed.size() - kind.replicas(owner);
    if (diff < 0) {
      int toCreate = Math.min(-diff, BURST_REPLICAS);
      expectations.expect(key, toCreate, 0);
      SlowStart.Result result =
          SlowStart.run(
              toCreate,
              1,
              () -> {
                try {
                  podControl.create(owner, kind.template(owner), ref, pod -> pod);
                } catch (KubernetesClientException e) {
                  // The namespace is going away: nothing more may be created there; not an error.
                  if (e.getStatus() != null
                      && e.getStatus().getMessage() != null
                      && e.getStatus().getMessage().contains("is being terminated")) {
                    return;
                  }
                  throw e;
                }
              });
      int skipped = toCreate - result.successes();
      if (skipped > 0) {
        expectations.creationObserved(key, skipped);
      }
      if (result.firstError() instanceof KubernetesClientException e) {
        throw e;
      }
      if (result.firstError() instanceof RuntimeException e) {
        throw e;
      }
    } else if (diff > 0) {
      int toDelete = Math.min(diff, BURST_REPLICAS);
      List<Pod> victims = PodRanking.toDelete(claimed, claimed, toDelete);
      expectations.expect(key, 0, victims.size());
      List<Future<?>> deletions = new ArrayList<>();
      RuntimeException firstError = null;
      try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
        for (Pod victim : victims) {
          deletions.add(executor.submit(() -> podControl.delete(owner, victim)));
        }
        for (Future<?> deletion : deletions) {
          try {
            deletion.get();
          } catch (java.util.concurrent.ExecutionException e) {
            expectations.deletionObserved(key);
            if (firstError == null && e.getCause() instanceof RuntimeException cause) {
              firstError = cause;
            }
          }
        }
      }
      if (firstError != null) {
        throw firstError;
      }
    }
  }

  private ReplicaStatus calculateStatus(T owner, List<Pod> claimed, Exception error, int diff) {
    Map<String, String> templateLabels =
        kind.template(owner) == null || kind.template(owner).getMetadata() == null
            ? Map.of()
            : kind.template(owner).getMetadata().getLabels();
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    var now = context.clock().instant();
    int minReady = kind.minReadySeconds(owner);
    for (Pod pod : claimed) {
      if (pod.getMetadata().getLabels().entrySet().containsAll(templateLabels.entrySet())) {
        fullyLabeled++;
      }
      if (Pods.isReady(pod)) {
        ready++;
        if (Pods.isAvailable(pod, minReady, now)) {
          available++;
        }
      }
    }
    String failureReason = null;
    String failureMessage = null;
    if (error != null) {
      failureReason = diff < 0 ? "FailedCreate" : "FailedDelete";
      failureMessage =
          error instanceof KubernetesClientException e ? PodControl.message(e) : error.getMessage();
    }
    Long generation = owner.getMetadata().getGeneration();
    return new ReplicaStatus(
        claimed.size(),
        fullyLabeled,
        ready,
        available,
        generation == null ? 0 : generation,
        failureReason,
        failureMessage);
  }

  /** Writes the status if it changed. */
  private void writeStatus(T owner, ReplicaStatus status) {
    if (status.equals(kind.status(owner))) {
      return;
    }
    String now =
        context.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    try {
      kind.updateStatus(context.client(), owner, status, now);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      T fresh =
          context
              .client()
              .resources(kind.type())
              .inNamespace(owner.getMetadata().getNamespace())
              .withName(owner.getMetadata().getName())
              .get();
      if (fresh != null) {
        kind.updateStatus(context.client(), fresh, status, now);
      }
    }
  }
}
