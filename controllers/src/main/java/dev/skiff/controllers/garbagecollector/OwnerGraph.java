package dev.skiff.controllers.garbagecollector;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every object the collector watches, by UID, and who depends on whom: the ownerReferences graph
 * upstream's garbage collector keeps, read from the shared informers' owner index.
 */
final class OwnerGraph {
  /** An object and the resource it belongs to. */
  record Node(ApiResource resource, GenericKubernetesResource object) {}

  private final Map<String, Node> byUid = new ConcurrentHashMap<>();
  private final Map<ApiResource, SharedIndexInformer<GenericKubernetesResource>> informers =
      new ConcurrentHashMap<>();

  void watch(ApiResource resource, SharedIndexInformer<GenericKubernetesResource> informer) {
    informers.put(resource, informer);
  }

  void observed(ApiResource resource, GenericKubernetesResource object) {
    byUid.put(object.getMetadata().getUid(), new Node(resource, object));
  }

  void removed(GenericKubernetesResource object) {
    byUid.remove(object.getMetadata().getUid());
  }

  Optional<Node> get(String uid) {
    return Optional.ofNullable(byUid.get(uid));
  }

  /** The objects that name {@code uid} among their owners. */
  List<Node> dependents(String uid) {
    List<Node> dependents = new ArrayList<>();
    informers.forEach(
        (resource, informer) -> {
          for (GenericKubernetesResource object :
              informer.getIndexer().byIndex(Informers.OWNER_UID_INDEX, uid)) {
            dependents.add(new Node(resource, object));
          }
        });
    return dependents;
  }

  /** The watched resource of a kind, to look an owner up by name. */
  Optional<ApiResource> resourceFor(String apiVersion, String kind) {
    return informers.keySet().stream()
        .filter(r -> r.kind().equals(kind) && r.apiVersion().equals(apiVersion))
        .findFirst();
  }
}
