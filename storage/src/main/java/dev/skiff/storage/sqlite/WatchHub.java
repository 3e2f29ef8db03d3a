package dev.skiff.storage.sqlite;

import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Hands committed events to the running watches. The published revision and the set of watches
 * change under one lock, so a new watch knows exactly which revisions it must replay from history
 * and which will reach it live: nothing is missed and nothing arrives twice.
 */
final class WatchHub {
  private final Object lock = new Object();
  private final List<SqliteWatch> watches = new CopyOnWriteArrayList<>();
  private final SqliteWatch.History history;
  private volatile long published;
  private volatile long compacted;
  private boolean closed;

  WatchHub(SqliteWatch.History history, long revision, long compacted) {
    this.history = history;
    this.published = revision;
    this.compacted = compacted;
  }

  /** The revision of the latest committed and published write. */
  long revision() {
    return published;
  }

  long compacted() {
    return compacted;
  }

  void compactedTo(long revision) {
    compacted = revision;
  }

  /** Called by the writer after each commit, in commit order. */
  void publish(List<WatchEvent> events, long revision) {
    synchronized (lock) {
      // Readable before anyone hears of it: a watch's thread may deliver the first event (and its
      // listener read the store) before this loop has offered the last one.
      published = revision;
      for (WatchEvent event : events) {
        for (SqliteWatch watch : watches) {
          watch.offer(event);
        }
      }
    }
  }

  Store.Watch watch(String prefix, long afterRevision, Store.WatchListener listener) {
    SqliteWatch watch;
    synchronized (lock) {
      if (closed) {
        throw new StorageException("store is closed");
      }
      if (afterRevision < compacted) {
        throw new StorageException.Compacted(afterRevision, compacted);
      }
      watch = new SqliteWatch(prefix, afterRevision, published, listener, history, this::remove);
      watches.add(watch);
    }
    watch.start();
    return watch;
  }

  private void remove(SqliteWatch watch) {
    watches.remove(watch);
  }

  /** Ends every watch with an error; called when the store closes. */
  void close() {
    synchronized (lock) {
      closed = true;
      for (SqliteWatch watch : watches) {
        watch.fail(new StorageException("store is closed"));
      }
      watches.clear();
    }
  }
}
