package dev.skiff.apiserver.watch;

import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watch caches of every resource, fed by one store watch on all keys. Because that watch sees
 * every write in revision order, the revision it has observed tells whether the caches are as fresh
 * as the store, which lets consistent lists be served from memory.
 */
public final class WatchCacheSet implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchCacheSet.class);
  private static final String ROOT = "/registry/";
  private static final int PAGE = 1000;

  private final Store store;
  private final ResourceRegistry registry;
  private final int capacity;
  private final Map<String, WatchCache> caches = new ConcurrentHashMap<>();
  private final Object progress = new Object();
  private volatile long observed;
  private volatile boolean healthy;
  private Store.Watch watch;

  public WatchCacheSet(Store store, ResourceRegistry registry, int capacity) {
    this.store = store;
    this.registry = registry;
    this.capacity = capacity;
  }

  /** Loads every resource at one revision and starts the store watch after it. */
  public synchronized void start() {
    long rev = store.currentRevision();
    observed = rev;
    for (ResourceType t : registry.all()) {
      caches.computeIfAbsent(
          registry.storageType(t).storagePrefix(),
          p -> new WatchCache(p, capacity, rev, () -> observed));
    }
    String after = null;
    while (true) {
      RangeResult page = store.list(ROOT, after, PAGE, rev);
      for (KeyValue kv : page.kvs()) {
        WatchCache c = route(kv.key());
        if (c != null) {
          c.load(kv);
        }
      }
      if (!page.more() || page.kvs().isEmpty()) {
        break;
      }
      after = page.kvs().getLast().key();
    }
    healthy = true;
    // Watching every key, not just /registry/, lets the observed revision reach the store's
    // current one even when other keys are written, so freshness checks never wait in vain.
    watch =
        store.watch(
            "/",
            rev,
            new Store.WatchListener() {
              @Override
              public void onEvent(WatchEvent event) {
                dispatch(event);
              }

              @Override
              public void onError(StorageException error) {
                healthy = false;
                LOG.error("store watch failed; lists fall back to the store", error);
              }
            });
  }

  private synchronized void dispatch(WatchEvent event) {
    WatchCache c = route(event.kv().key());
    if (c != null) {
      c.apply(event);
    }
    synchronized (progress) {
      observed = event.revision();
      progress.notifyAll();
    }
    // After the revision is published: consistent reads need not wait for the fan-out.
    if (c != null) {
      c.deliver();
    }
  }

  private WatchCache route(String key) {
    if (!key.startsWith(ROOT)) {
      return null;
    }
    int second = key.indexOf('/', ROOT.length());
    if (second < 0) {
      return null;
    }
    int third = key.indexOf('/', second + 1);
    if (third >= 0) {
      WatchCache grouped = caches.get(key.substring(0, third + 1));
      if (grouped != null) {
        return grouped;
      }
    }
    return caches.get(key.substring(0, second + 1));
  }

  /**
   * The cache of a resource; resources registered after start (custom resources) get one loaded at
   * the observed revision, consistent with the events that follow.
   */
  public WatchCache cache(ResourceType t) {
    String prefix = registry.storageType(t).storagePrefix();
    WatchCache c = caches.get(prefix);
    if (c != null) {
      return c;
    }
    synchronized (this) {
      return caches.computeIfAbsent(
          prefix,
          p -> {
            long rev = observed;
            WatchCache created = new WatchCache(p, capacity, rev, () -> observed);
            for (KeyValue kv : store.list(p, null, 0, rev).kvs()) {
              created.load(kv);
            }
            return created;
          });
    }
  }

  public long observedRevision() {
    return observed;
  }

  public boolean healthy() {
    return healthy;
  }

  /** Waits until the caches have seen {@code revision}; false on timeout. */
  public boolean awaitRevision(long revision, long timeoutMillis) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    synchronized (progress) {
      while (observed < revision) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || !healthy) {
          return false;
        }
        progress.wait(left);
      }
    }
    return true;
  }

  /** Waits until the caches reflect every write committed so far (a consistent read). */
  public boolean awaitFresh(long timeoutMillis) throws InterruptedException {
    return healthy && awaitRevision(store.currentRevision(), timeoutMillis);
  }

  /** Ends every client watch (the server is stopping) while the caches keep serving reads. */
  public void terminateWatches() {
    caches.values().forEach(WatchCache::terminateAll);
  }

  /** Stops the store watch and ends every client watch, so their streams close promptly. */
  @Override
  public synchronized void close() {
    if (watch != null) {
      watch.close();
    }
    caches.values().forEach(WatchCache::terminateAll);
  }
}
