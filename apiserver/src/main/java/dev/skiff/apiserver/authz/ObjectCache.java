package dev.skiff.apiserver.authz;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.watch.CachedObject;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.apiserver.watch.WatchFilter;
import java.util.List;
import java.util.Optional;

/**
 * Read access to the API server's watch cache for authentication and authorization, which, as
 * upstream's informers, decide from cached objects rather than from the store.
 */
public final class ObjectCache {
  private final ResourceRegistry registry;
  private final WatchCacheSet caches;

  public ObjectCache(ResourceRegistry registry, WatchCacheSet caches) {
    this.registry = registry;
    this.caches = caches;
  }

  public ResourceType type(String group, String version, String plural) {
    return registry
        .find(group, version, plural)
        .orElseThrow(
            () -> new IllegalStateException("the registry does not serve " + group + "/" + plural));
  }

  /** Objects of a resource in {@code namespace} ("" for all namespaces or cluster scope). */
  public List<ObjectNode> list(String group, String plural, String namespace) {
    ResourceType t = type(group, "v1", plural);
    return caches.cache(t).list(WatchFilter.everything(t, namespace)).items().stream()
        .map(CachedObject::object)
        .toList();
  }

  public Optional<ObjectNode> get(String group, String plural, String namespace, String name) {
    ResourceType t = type(group, "v1", plural);
    return caches.cache(t).get(t.storageKey(namespace, name)).map(CachedObject::object);
  }
}
