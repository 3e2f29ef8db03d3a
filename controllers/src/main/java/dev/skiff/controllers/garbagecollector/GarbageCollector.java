package dev.skiff.controllers.garbagecollector;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects objects whose owners are gone and carries out cascading deletion as upstream's garbage
 * collector: Background (dependents of a deleted owner are deleted after it), Foreground (an owner
 * with the {@code foregroundDeletion} finalizer waits until its blocking dependents are gone) and
 * Orphan (the {@code orphan} finalizer: dependents lose their reference and stay). Queue keys are
 * object UIDs.
 */
public final class GarbageCollector extends QueueController {
  static final String ORPHAN = "orphan";
  static final String FOREGROUND = "foregroundDeletion";

  private final KubernetesClient client;
  private final OwnerGraph graph = new OwnerGraph();

  /** Watches every resource of {@code resources} that can be listed, watched and deleted. */
  public GarbageCollector(ControllerContext context, List<ApiResource> resources) {
    super("garbagecollector");
    this.client = context.client();
    for (ApiResource resource : resources) {
      if (!resource.supports("list", "watch", "delete")) {
        continue;
      }
      var informer = context.informers().of(resource.context());
      graph.watch(resource);
      informer.addEventHandler(
          Handlers.<GenericKubernetesResource>of(
              o -> changed(resource, o), (old, o) -> changed(resource, o), this::deleted));
    }
  }

  private void changed(ApiResource resource, GenericKubernetesResource object) {
    if (!graph.observed(resource, object)) {
      return;
    }
    var meta = object.getMetadata();
    if (!meta.getOwnerReferences().isEmpty() || meta.getDeletionTimestamp() != null) {
      enqueue(meta.getUid());
    }
  }

  private void deleted(GenericKubernetesResource object) {
    for (OwnerGraph.Node dependent : graph.removed(object)) {
      enqueue(dependent.object().getMetadata().getUid());
    }
    // An owner deleted in the foreground waits for this one.
    for (OwnerReference owner : object.getMetadata().getOwnerReferences()) {
      enqueue(owner.getUid());
    }
  }

  /**
   * Whether the collector has seen the object with {@code uid}, as upstream's GraphHasUID: an owner
   * deleted before its dependents reach the collector's caches cannot hand them on, so tests wait
   * for this before they delete.
   */
  boolean hasObserved(String uid) {
    return graph.get(uid).isPresent();
  }

  @Override
  protected void reconcile(String uid) {
    var node = graph.get(uid);
    if (node.isEmpty()) {
      return;
    }
    GenericKubernetesResource object = node.get().object();
    ApiResource resource = node.get().resource();
    var meta = object.getMetadata();
    if (meta.getDeletionTimestamp() != null) {
      if (meta.getFinalizers().contains(ORPHAN)) {
        orphanDependents(object);
        removeFinalizer(resource, object, ORPHAN);
      } else if (meta.getFinalizers().contains(FOREGROUND)) {
        deleteDependentsFirst(resource, object);
      }
      return;
    }
    if (!meta.getOwnerReferences().isEmpty()) {
      collectIfOwnersGone(resource, object);
    }
  }

  private void orphanDependents(GenericKubernetesResource owner) {
    String uid = owner.getMetadata().getUid();
    for (OwnerGraph.Node dependent : graph.dependents(uid)) {
      removeOwnerReferences(dependent, List.of(uid));
    }
  }

  private void deleteDependentsFirst(ApiResource resource, GenericKubernetesResource owner) {
    String uid = owner.getMetadata().getUid();
    boolean blocked = false;
    for (OwnerGraph.Node dependent : graph.dependents(uid)) {
      var ref = reference(dependent.object(), uid);
      boolean blocking = ref != null && Boolean.TRUE.equals(ref.getBlockOwnerDeletion());
      blocked |= blocking;
      if (dependent.object().getMetadata().getDeletionTimestamp() == null) {
        delete(
            dependent, blocking ? DeletionPropagation.FOREGROUND : DeletionPropagation.BACKGROUND);
      }
    }
    if (!blocked) {
      removeFinalizer(resource, owner, FOREGROUND);
    }
  }

  private static OwnerReference reference(GenericKubernetesResource object, String ownerUid) {
    return object.getMetadata().getOwnerReferences().stream()
        .filter(r -> ownerUid.equals(r.getUid()))
        .findFirst()
        .orElse(null);
  }

  private enum OwnerState {
    SOLID,
    DANGLING,
    WAITING_FOR_DEPENDENTS
  }

  private OwnerState stateOf(GenericKubernetesResource dependent, OwnerReference ref) {
    // A seen delete event outranks a read: a GET issued right after the DELETED event can still
    // return the owner, and a dependent judged SOLID then is never looked at again.
    if (graph.isAbsent(ref.getUid())) {
      return OwnerState.DANGLING;
    }
    var owner = graph.get(ref.getUid());
    GenericKubernetesResource found = owner.map(OwnerGraph.Node::object).orElse(null);
    if (found == null) {
      // Not in our caches (yet): ask the API server before calling it gone.
      var resource = graph.resourceFor(ref.getApiVersion(), ref.getKind());
      if (resource.isEmpty()) {
        return OwnerState.SOLID;
      }
      var op = client.genericKubernetesResources(resource.get().context());
      found =
          resource.get().namespaced()
              ? op.inNamespace(dependent.getMetadata().getNamespace()).withName(ref.getName()).get()
              : op.withName(ref.getName()).get();
      if (found == null || !ref.getUid().equals(found.getMetadata().getUid())) {
        graph.markAbsent(ref.getUid());
        return OwnerState.DANGLING;
      }
    }
    if (found.getMetadata().getDeletionTimestamp() != null
        && found.getMetadata().getFinalizers().contains(FOREGROUND)) {
      return OwnerState.WAITING_FOR_DEPENDENTS;
    }
    return OwnerState.SOLID;
  }

  private void collectIfOwnersGone(ApiResource resource, GenericKubernetesResource object) {
    List<String> dangling = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    boolean solid = false;
    for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
      switch (stateOf(object, ref)) {
        case SOLID -> solid = true;
        case DANGLING -> dangling.add(ref.getUid());
        case WAITING_FOR_DEPENDENTS -> waiting.add(ref.getUid());
      }
    }
    OwnerGraph.Node node = new OwnerGraph.Node(resource, object);
    if (solid) {
      List<String> stale = new ArrayList<>(dangling);
      stale.addAll(waiting);
      if (!stale.isEmpty()) {
        removeOwnerReferences(node, stale);
      }
      return;
    }
    if (!waiting.isEmpty()) {
      // Its owner waits for it: go in the foreground too, so its own dependents go first.
      delete(node, DeletionPropagation.FOREGROUND);
      return;
    }
    var finalizers = object.getMetadata().getFinalizers();
    delete(
        node,
        finalizers.contains(ORPHAN)
            ? DeletionPropagation.ORPHAN
            : finalizers.contains(FOREGROUND)
                ? DeletionPropagation.FOREGROUND
                : DeletionPropagation.BACKGROUND);
  }

  private void delete(OwnerGraph.Node node, DeletionPropagation propagation) {
    var meta = node.object().getMetadata();
    var op = client.genericKubernetesResources(node.resource().context());
    try {
      (node.resource().namespaced()
              ? op.inNamespace(meta.getNamespace()).withName(meta.getName())
              : op.withName(meta.getName()))
          .withPropagationPolicy(propagation)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void removeOwnerReferences(OwnerGraph.Node node, List<String> ownerUids) {
    var meta = node.object().getMetadata();
    var op = client.genericKubernetesResources(node.resource().context());
    var target =
        node.resource().namespaced()
            ? op.inNamespace(meta.getNamespace()).withName(meta.getName())
            : op.withName(meta.getName());
    try {
      GenericKubernetesResource current = target.get();
      if (current == null) {
        return;
      }
      GenericKubernetesResource copy = new GenericKubernetesResourceBuilder(current).build();
      if (copy.getMetadata().getOwnerReferences().removeIf(r -> ownerUids.contains(r.getUid()))) {
        update(node.resource(), copy);
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  private void removeFinalizer(
      ApiResource resource, GenericKubernetesResource object, String finalizer) {
    GenericKubernetesResource copy = new GenericKubernetesResourceBuilder(object).build();
    if (!copy.getMetadata().getFinalizers().remove(finalizer)) {
      return;
    }
    try {
      update(resource, copy);
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** A full update, which conflicts (and is retried) when our copy is stale. */
  private void update(ApiResource resource, GenericKubernetesResource object) {
    var op = client.genericKubernetesResources(resource.context());
    if (resource.namespaced()) {
      op.inNamespace(object.getMetadata().getNamespace()).resource(object).update();
    } else {
      op.resource(object).update();
    }
  }
}
