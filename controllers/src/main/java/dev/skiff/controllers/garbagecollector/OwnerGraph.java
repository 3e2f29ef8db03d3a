package dev.skiff.controllers.garbagecollector;

import dev.skiff.controllers.framework.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every object the collector watches, by UID, and who depends on whom: the ownerReferences graph
 * upstream's garbage collector keeps. The graph is built from the event handlers of every informer
 * under one lock, so an owner's deletion and a dependent's arrival are ordered: either the
 * dependent is linked before the owner goes (and is handed out as its dependent), or the owner is
 * known absent by the time the dependent is looked at. The informers' own owner indexes cannot give
 * that: fabric8 rewrites an object's index entries on every store write, even one it does not
 * notify about, so a concurrent lookup can miss a dependent for good.
 */
final class OwnerGraph {
  /** An object and the resource it belongs to. */
  record Node(ApiResource resource, GenericKubernetesResource object) {}

  /** How many deleted UIDs are remembered, as upstream's absent-owner cache. */
  private static final int ABSENT_CAPACITY = 500;

  private final Set<ApiResource> resources = ConcurrentHashMap.newKeySet();
  private final Map<String, Node> byUid = new HashMap<>();

  /** Owner UID to the UIDs of the objects naming it, whether or not the owner was seen. */
  private final Map<String, Set<String>> dependentsByOwner = new HashMap<>();

  /**
   * UIDs seen deleted, most recent last. A UID never comes back, so an event naming one after its
   * deletion is stale and must not revive it: a revived owner would keep its dependents forever.
   */
  private final Map<String, Boolean> absent =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > ABSENT_CAPACITY;
        }
      };

  void watch(ApiResource resource) {
    resources.add(resource);
  }

  /** Records {@code object}; false when its UID is known deleted, so the event is stale. */
  synchronized boolean observed(ApiResource resource, GenericKubernetesResource object) {
    String uid = object.getMetadata().getUid();
    if (absent.containsKey(uid)) {
      return false;
    }
    Node old = byUid.put(uid, new Node(resource, object));
    if (old != null) {
      unlink(old.object());
    }
    for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
      dependentsByOwner.computeIfAbsent(ref.getUid(), k -> new HashSet<>()).add(uid);
    }
    return true;
  }

  /** Forgets {@code object} and returns its dependents, as one step. */
  synchronized List<Node> removed(GenericKubernetesResource object) {
    String uid = object.getMetadata().getUid();
    markAbsent(uid);
    return dependents(uid);
  }

  /** Remembers that the object of {@code uid} no longer exists. */
  synchronized void markAbsent(String uid) {
    absent.put(uid, Boolean.TRUE);
    Node old = byUid.remove(uid);
    if (old != null) {
      unlink(old.object());
    }
  }

  synchronized boolean isAbsent(String uid) {
    return absent.containsKey(uid);
  }

  private void unlink(GenericKubernetesResource object) {
    String uid = object.getMetadata().getUid();
    for (OwnerReference ref : object.getMetadata().getOwnerReferences()) {
      Set<String> dependents = dependentsByOwner.get(ref.getUid());
      if (dependents != null && dependents.remove(uid) && dependents.isEmpty()) {
        dependentsByOwner.remove(ref.getUid());
      }
    }
  }

  synchronized Optional<Node> get(String uid) {
    return Optional.ofNullable(byUid.get(uid));
  }

  /** The objects that name {@code uid} among their owners. */
  synchronized List<Node> dependents(String uid) {
    List<Node> dependents = new ArrayList<>();
    for (String dependent : dependentsByOwner.getOrDefault(uid, Set.of())) {
      Node node = byUid.get(dependent);
      if (node != null) {
        dependents.add(node);
      }
    }
    return dependents;
  }

  /** The watched resource of a kind, to look an owner up by name. */
  Optional<ApiResource> resourceFor(String apiVersion, String kind) {
    return resources.stream()
        .filter(r -> r.kind().equals(kind) && r.apiVersion().equals(apiVersion))
        .findFirst();
  }
}
