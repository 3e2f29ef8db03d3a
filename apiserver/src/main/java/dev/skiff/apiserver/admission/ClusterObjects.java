package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.apiserver.watch.CachedObject;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.apiserver.watch.WatchFilter;
import dev.skiff.storage.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The objects admission plugins consult (quotas, limit ranges, service accounts, classes): {@link
 * #list} reads storage, so that a quota charge always starts from the latest usage; {@link #listed}
 * reads the watch cache, as upstream's plugins read their listers.
 */
public final class ClusterObjects {
  /** As long as upstream's LimitRanger trusts a live lookup made when its lister shows nothing. */
  static final long LIVE_LOOKUP_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final ResourceStore store;
  private final ResourceRegistry registry;
  private final WatchCacheSet caches;
  private final Map<String, LiveLookup> liveLookups = new ConcurrentHashMap<>();

  private record LiveLookup(long until, List<ObjectNode> objects) {}

  public ClusterObjects(ResourceStore store, ResourceRegistry registry) {
    this(store, registry, null);
  }

  /** {@code caches} null: {@link #listed} reads storage too. */
  public ClusterObjects(ResourceStore store, ResourceRegistry registry, WatchCacheSet caches) {
    this.store = store;
    this.registry = registry;
    this.caches = caches;
  }

  public ResourceStore store() {
    return store;
  }

  /** The served type of {@code group/version/plural}; the registry always knows built-ins. */
  public ResourceType type(String group, String version, String plural) {
    return registry.find(group, version, plural).orElseThrow();
  }

  /**
   * Every object of {@code t} in {@code namespace} ("" for cluster-scoped), in the served shape.
   */
  public List<ObjectNode> list(ResourceType t, String namespace) {
    String prefix = store.codec().storageType(t).storagePrefix();
    if (t.namespaced()) {
      prefix += namespace + "/";
    }
    List<ObjectNode> out = new ArrayList<>();
    for (KeyValue kv : store.store().list(prefix, null, 0, 0).kvs()) {
      out.add(store.codec().toServed(Codec.decode(kv), t));
    }
    return out;
  }

  /**
   * Every object of {@code t} in {@code namespace}, in the served shape and only to be read, from
   * the watch cache when it is healthy: a pod create costs no store read for limit ranges and
   * priority classes. Where the cache shows none, the store is asked once per 30 s for that
   * namespace, as upstream's LimitRanger does, so that an object created a moment ago is not missed
   * while the cache catches up.
   */
  public List<ObjectNode> listed(ResourceType t, String namespace) {
    if (caches == null || !caches.healthy()) {
      return list(t, namespace);
    }
    WatchFilter filter = WatchFilter.everything(t, t.namespaced() ? namespace : "");
    List<ObjectNode> out = new ArrayList<>();
    for (CachedObject o : caches.cache(t).list(filter).items()) {
      out.add(store.codec().toServed(o.object(), t));
    }
    if (!out.isEmpty()) {
      return out;
    }
    String key = t.plural() + "/" + namespace;
    long now = System.nanoTime();
    LiveLookup live = liveLookups.get(key);
    if (live == null || live.until() - now <= 0) {
      live = new LiveLookup(now + LIVE_LOOKUP_TTL_NANOS, List.copyOf(list(t, namespace)));
      liveLookups.put(key, live);
    }
    return live.objects();
  }

  /**
   * Sees every write this server admits, so that a live lookup kept from before does not hide an
   * object written since while the cache catches up.
   */
  AdmissionPlugin writeObserver() {
    return new AdmissionPlugin() {
      @Override
      public void admit(AdmissionAttributes a, ObjectNode object, ObjectNode old, boolean dryRun) {
        if (!liveLookups.isEmpty()) {
          liveLookups.remove(a.type().plural() + "/" + a.namespace());
        }
      }
    };
  }

  /**
   * One object, in the served shape and only to be read: from the watch cache when it has it, as
   * upstream's plugins ask their listers, else from the store (one created a moment ago).
   */
  public Optional<ObjectNode> found(ResourceType t, String namespace, String name) {
    if (caches != null && caches.healthy()) {
      Optional<CachedObject> cached =
          caches.cache(t).get(store.codec().key(t, t.namespaced() ? namespace : "", name));
      if (cached.isPresent()) {
        return Optional.of(store.codec().toServed(cached.get().object(), t));
      }
    }
    return get(t, namespace, name);
  }

  public Optional<ObjectNode> get(ResourceType t, String namespace, String name) {
    return store.read(t, namespace, name);
  }
}
