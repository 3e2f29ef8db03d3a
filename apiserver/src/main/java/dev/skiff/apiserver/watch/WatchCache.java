package dev.skiff.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.WatchEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The current objects and recent events of one resource (one storage prefix), kept in memory from
 * the store's watch: lists and watches are served from here, so many clients cost one store watch.
 */
public final class WatchCache {
  private final String prefix;
  private final int capacity;
  private final LongSupplier observedRevision;
  private final ObjectIndex objects;
  private final ArrayDeque<CacheEvent> ring = new ArrayDeque<>();
  private final Set<Watcher> watchers = new CopyOnWriteArraySet<>();
  // Deliveries asked for since the fan-out's last pass began; nonzero while one runs.
  private final AtomicInteger deliveries = new AtomicInteger();
  // Every event of this resource after this revision is in the ring.
  private long ringStart;
  private long lastEventRevision;

  WatchCache(String prefix, int capacity, long startRevision, LongSupplier observedRevision) {
    this.prefix = prefix;
    this.objects = new ObjectIndex(prefix);
    this.capacity = capacity;
    this.ringStart = startRevision;
    this.lastEventRevision = startRevision;
    this.observedRevision = observedRevision;
  }

  public String prefix() {
    return prefix;
  }

  synchronized void load(KeyValue kv) {
    objects.put(new CachedObject(prefix, kv));
  }

  synchronized void apply(WatchEvent e) {
    String key = e.kv().key();
    CacheEvent event;
    if (e.type() == WatchEvent.Type.DELETE) {
      CachedObject prev = objects.remove(key);
      CachedObject gone = deleted(e, prev);
      if (gone == null) {
        return;
      }
      event =
          new CacheEvent(CacheEvent.Type.DELETED, gone, prev != null ? prev : gone, e.revision());
    } else {
      CachedObject now = new CachedObject(prefix, e.kv());
      CachedObject prev = objects.put(now);
      event =
          new CacheEvent(
              prev == null ? CacheEvent.Type.ADDED : CacheEvent.Type.MODIFIED,
              now,
              prev,
              e.revision());
    }
    ring.addLast(event);
    if (ring.size() > capacity) {
      ringStart = ring.removeFirst().revision();
    }
    lastEventRevision = e.revision();
    for (Watcher w : watchers) {
      w.offer(event);
    }
  }

  /** The object a delete removed, as it last was, with the delete's resourceVersion. */
  private CachedObject deleted(WatchEvent e, CachedObject prev) {
    KeyValue last = e.prev();
    if (last != null) {
      return new CachedObject(
          prefix,
          new KeyValue(
              last.key(), last.value(), last.createRevision(), e.revision(), last.lease()));
    }
    if (prev == null) {
      return null;
    }
    ObjectNode copy = prev.object().deepCopy();
    Json.metadata(copy).put("resourceVersion", Long.toString(e.revision()));
    return new CachedObject(prev.key(), copy, e.revision());
  }

  /**
   * Lets every watcher's writer send what was queued, on a thread of its own: the store's watch
   * goes on applying events meanwhile, and the events that queue during one pass over the watchers
   * go out together in the next, one write per watcher, so a burst costs fewer writes, not a
   * growing delay.
   */
  void deliver() {
    if (watchers.isEmpty()) {
      return;
    }
    if (deliveries.getAndIncrement() == 0) {
      Thread.ofVirtual().name("watch-fan-out").start(this::fanOut);
    }
  }

  private void fanOut() {
    int requested = deliveries.get();
    while (true) {
      for (Watcher w : watchers) {
        w.deliver();
      }
      // Requests that came during the pass need another; none means the next one starts anew.
      int left = deliveries.addAndGet(-requested);
      if (left == 0) {
        return;
      }
      requested = left;
    }
  }

  /** Queues a bookmark at the current revision for {@code w} if it has nothing else to send. */
  public void bookmark(Watcher w) {
    synchronized (this) {
      if (!w.isEmpty()) {
        return;
      }
      w.offerBookmark(revision());
    }
    w.deliver();
  }

  /** The revision the cached state is current at. */
  public synchronized long revision() {
    return Math.max(lastEventRevision, observedRevision.getAsLong());
  }

  /** Matching objects in key order, and the revision they are current at. */
  public synchronized Snapshot list(WatchFilter filter) {
    List<CachedObject> out = new ArrayList<>();
    objects.forEachInOrder(
        filter.namespace(),
        o -> {
          if (filter.matches(o)) {
            out.add(o);
          }
        });
    return new Snapshot(out, revision());
  }

  public synchronized Optional<CachedObject> get(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  /** A list result served from the cache. */
  public record Snapshot(List<CachedObject> items, long revision) {}

  /**
   * Registers {@code w}; its queue starts with the current objects as ADDED ({@code fromRevision} <
   * 0) or with the recorded events after {@code fromRevision}.
   *
   * @return the revision the watch starts at
   * @throws ApiException 410 Gone when events after {@code fromRevision} are no longer kept
   */
  public synchronized long watch(Watcher w, long fromRevision) {
    if (fromRevision < 0) {
      // Only the watched namespace's objects: a watch in one namespace must not cost a scan of all.
      objects.forEachInOrder(
          w.filter().namespace(),
          o -> {
            if (w.filter().matches(o)) {
              w.offerInitial(new Watcher.Outgoing("ADDED", o));
            }
          });
    } else {
      if (fromRevision < ringStart) {
        throw ApiException.gone(
            "too old resource version: " + fromRevision + " (" + ringStart + ")");
      }
      for (CacheEvent e : ring) {
        if (e.revision() > fromRevision) {
          w.offerReplayed(e);
        }
      }
    }
    watchers.add(w);
    return revision();
  }

  public void stop(Watcher w) {
    watchers.remove(w);
  }

  void terminateAll() {
    watchers.forEach(Watcher::terminate);
  }

  public int watcherCount() {
    return watchers.size();
  }
}
