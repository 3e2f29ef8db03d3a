package dev.skiff.apiserver.testing;

import dev.skiff.api.ResourceType;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchCacheSet;

/**
 * The watch cache of ConfigMaps, fed by an in-memory store as the server's caches are fed by
 * theirs: a test writes to the store and watches the cache.
 */
public final class ConfigMapWatchCache implements AutoCloseable {
  private final MemoryStore store = new MemoryStore();
  private final WatchCacheSet caches;
  private final WatchCache cache;
  private final String prefix;

  public ConfigMapWatchCache() {
    BuiltinRegistry registry = new BuiltinRegistry();
    caches = new WatchCacheSet(store, registry, 100_000);
    caches.start();
    ResourceType configMaps = registry.find("", "v1", "configmaps").orElseThrow();
    cache = caches.cache(configMaps);
    prefix = registry.storageType(configMaps).storagePrefix();
  }

  public MemoryStore store() {
    return store;
  }

  public WatchCache cache() {
    return cache;
  }

  /** The store key every ConfigMap's starts with, the namespace next. */
  public String prefix() {
    return prefix;
  }

  @Override
  public void close() {
    caches.close();
    store.close();
  }
}
