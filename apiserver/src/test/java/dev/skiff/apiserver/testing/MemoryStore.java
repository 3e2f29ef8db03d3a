package dev.skiff.apiserver.testing;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An in-memory {@link Store} with etcd semantics, a fast test double: one revision counter, CAS on
 * mod revisions, reads at past revisions, compaction, and watches that replay history and then
 * follow live writes in order, each on its own thread.
 */
public final class MemoryStore implements Store {
  private final TreeMap<String, KeyValue> current = new TreeMap<>();
  private final List<WatchEvent> log = new ArrayList<>();
  private final List<MemoryWatch> watches = new ArrayList<>();
  private long revision;
  private long compacted;

  private final class MemoryWatch implements Watch {
    final String prefix;
    final WatchListener listener;
    final ExecutorService thread = Executors.newSingleThreadExecutor();

    MemoryWatch(String prefix, WatchListener listener) {
      this.prefix = prefix;
      this.listener = listener;
    }

    void deliver(WatchEvent e) {
      if (e.kv().key().startsWith(prefix)) {
        thread.execute(() -> listener.onEvent(e));
      }
    }

    @Override
    public void close() {
      synchronized (MemoryStore.this) {
        watches.remove(this);
      }
      thread.shutdownNow();
    }
  }

  @Override
  public synchronized long currentRevision() {
    return revision;
  }

  @Override
  public synchronized Optional<KeyValue> get(String key) {
    return Optional.ofNullable(current.get(key));
  }

  @Override
  public synchronized Optional<KeyValue> get(String key, long rev) {
    return Optional.ofNullable(stateAt(rev).get(key));
  }

  private TreeMap<String, KeyValue> stateAt(long rev) {
    if (rev == 0 || rev == revision) {
      return current;
    }
    if (rev < compacted) {
      throw new StorageException.Compacted(rev, compacted);
    }
    if (rev > revision) {
      throw new StorageException.FutureRevision(rev, revision);
    }
    TreeMap<String, KeyValue> state = new TreeMap<>();
    for (WatchEvent e : log) {
      if (e.revision() > rev) {
        break;
      }
      if (e.type() == WatchEvent.Type.DELETE) {
        state.remove(e.kv().key());
      } else {
        state.put(e.kv().key(), e.kv());
      }
    }
    return state;
  }

  @Override
  public synchronized RangeResult list(String prefix, String startAfter, int limit, long rev) {
    TreeMap<String, KeyValue> state = stateAt(rev);
    List<KeyValue> out = new ArrayList<>();
    boolean more = false;
    long count = 0;
    for (Map.Entry<String, KeyValue> e : state.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      count++;
      if (startAfter != null && e.getKey().compareTo(startAfter) <= 0) {
        continue;
      }
      if (limit > 0 && out.size() == limit) {
        more = true;
        continue;
      }
      out.add(e.getValue());
    }
    return new RangeResult(out, rev == 0 ? revision : rev, more, count);
  }

  @Override
  public synchronized long count(String prefix) {
    return list(prefix, null, 0, 0).count();
  }

  @Override
  public synchronized KeyValue create(String key, byte[] value, long ttlSeconds) {
    if (current.containsKey(key)) {
      throw new StorageException.KeyExists(key);
    }
    KeyValue kv = new KeyValue(key, value.clone(), revision + 1, revision + 1, 0);
    commit(new WatchEvent(WatchEvent.Type.CREATE, kv, null));
    return kv;
  }

  @Override
  public synchronized KeyValue update(
      String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    KeyValue old = current.get(key);
    if (old == null) {
      throw new StorageException.KeyNotFound(key);
    }
    if (expectedModRevision != 0 && old.modRevision() != expectedModRevision) {
      throw new StorageException.Conflict(key, old);
    }
    KeyValue kv = new KeyValue(key, value.clone(), old.createRevision(), revision + 1, 0);
    commit(new WatchEvent(WatchEvent.Type.UPDATE, kv, old));
    return kv;
  }

  @Override
  public synchronized KeyValue delete(String key, long expectedModRevision) {
    KeyValue old = current.get(key);
    if (old == null) {
      throw new StorageException.KeyNotFound(key);
    }
    if (expectedModRevision != 0 && old.modRevision() != expectedModRevision) {
      throw new StorageException.Conflict(key, old);
    }
    KeyValue tomb = new KeyValue(key, new byte[0], 0, revision + 1, 0);
    commit(new WatchEvent(WatchEvent.Type.DELETE, tomb, old));
    return new KeyValue(key, old.value(), old.createRevision(), revision, 0);
  }

  private void commit(WatchEvent e) {
    revision++;
    if (e.type() == WatchEvent.Type.DELETE) {
      current.remove(e.kv().key());
    } else {
      current.put(e.kv().key(), e.kv());
    }
    log.add(e);
    for (MemoryWatch w : watches) {
      w.deliver(e);
    }
  }

  @Override
  public synchronized Watch watch(String prefix, long afterRevision, WatchListener listener) {
    if (afterRevision < compacted) {
      throw new StorageException.Compacted(afterRevision, compacted);
    }
    MemoryWatch w = new MemoryWatch(prefix, listener);
    for (WatchEvent e : log) {
      if (e.revision() > afterRevision) {
        w.deliver(e);
      }
    }
    watches.add(w);
    return w;
  }

  @Override
  public synchronized void compact(long rev) {
    if (rev <= compacted) {
      return;
    }
    TreeMap<String, KeyValue> keep = stateAt(rev);
    List<WatchEvent> newer = new ArrayList<>();
    for (KeyValue kv : keep.values()) {
      newer.add(new WatchEvent(WatchEvent.Type.CREATE, kv, null));
    }
    newer.sort((a, b) -> Long.compare(a.revision(), b.revision()));
    for (WatchEvent e : log) {
      if (e.revision() > rev) {
        newer.add(e);
      }
    }
    log.clear();
    log.addAll(newer);
    compacted = rev;
  }

  @Override
  public synchronized long compactedRevision() {
    return compacted;
  }

  @Override
  public synchronized void close() {
    for (MemoryWatch w : List.copyOf(watches)) {
      w.close();
    }
  }
}
