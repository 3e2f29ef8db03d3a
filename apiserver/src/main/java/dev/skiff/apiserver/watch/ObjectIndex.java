package dev.skiff.apiserver.watch;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The watch cache's objects: found by key in a hash map, listed in key order per namespace. A write
 * only notes a new key beside its namespace's sorted keys; the notes are sorted and merged in when
 * the namespace is next listed, or once they grow to half its size. A tree over every key had cost
 * a create a dozen cache misses on the store's watch thread, for an order only lists use.
 *
 * <p>Not thread-safe: the cache holds its lock around every call.
 */
final class ObjectIndex {
  private static final int MIN_PENDING = 1024;

  private final String prefix;
  private final Map<String, CachedObject> byKey = new HashMap<>();
  // Keyed by namespace + "/", so that namespaces iterate in the order of their keys: "a-b/" sorts
  // before "a/" as "/registry/x/a-b/n" sorts before "/registry/x/a/n".
  private final TreeMap<String, NamespaceKeys> byNamespace = new TreeMap<>();

  ObjectIndex(String prefix) {
    this.prefix = prefix;
  }

  CachedObject get(String key) {
    return byKey.get(key);
  }

  /** Stores {@code o} under its key; returns the object it replaced, or null. */
  CachedObject put(CachedObject o) {
    CachedObject prev = byKey.put(o.key(), o);
    if (prev == null) {
      NamespaceKeys keys = byNamespace.computeIfAbsent(group(o.key()), g -> new NamespaceKeys());
      keys.live++;
      keys.added.add(o.key());
      keys.compactIfLarge(byKey);
    }
    return prev;
  }

  /** Removes the object under {@code key}; returns it, or null when there was none. */
  CachedObject remove(String key) {
    CachedObject prev = byKey.remove(key);
    if (prev != null) {
      String group = group(key);
      NamespaceKeys keys = byNamespace.get(group);
      if (--keys.live == 0) {
        byNamespace.remove(group);
      } else {
        keys.removed++;
        keys.compactIfLarge(byKey);
      }
    }
    return prev;
  }

  /** Passes the objects in {@code namespace}, or in every namespace for "", in key order. */
  void forEachInOrder(String namespace, Consumer<CachedObject> action) {
    if (namespace.isEmpty()) {
      for (NamespaceKeys keys : byNamespace.values()) {
        keys.forEach(action, byKey);
      }
    } else {
      NamespaceKeys keys = byNamespace.get(namespace + "/");
      if (keys != null) {
        keys.forEach(action, byKey);
      }
    }
  }

  /** The namespace part of a key with its slash; "" for a cluster-scoped object. */
  private String group(String key) {
    int slash = key.indexOf('/', prefix.length());
    return slash < 0 ? "" : key.substring(prefix.length(), slash + 1);
  }

  private static final class NamespaceKeys {
    private String[] sorted = new String[0];
    private final List<String> added = new ArrayList<>();
    private int removed;
    private int live;

    void compactIfLarge(Map<String, CachedObject> live) {
      if (added.size() + removed > Math.max(MIN_PENDING, sorted.length / 2)) {
        compact(live);
      }
    }

    void forEach(Consumer<CachedObject> action, Map<String, CachedObject> live) {
      compact(live);
      for (String key : sorted) {
        action.accept(live.get(key));
      }
    }

    /** Merges the new keys into the sorted ones and drops keys no longer live. */
    private void compact(Map<String, CachedObject> live) {
      if (added.isEmpty() && removed == 0) {
        return;
      }
      String[] fresh = added.toArray(new String[0]);
      Arrays.sort(fresh);
      String[] merged = new String[sorted.length + fresh.length];
      int i = 0;
      int j = 0;
      int n = 0;
      while (i < sorted.length || j < fresh.length) {
        String next;
        if (j == fresh.length || i < sorted.length && sorted[i].compareTo(fresh[j]) <= 0) {
          next = sorted[i++];
        } else {
          next = fresh[j++];
        }
        // A key deleted and created again appears twice; a deleted one is no longer live.
        if ((n == 0 || !merged[n - 1].equals(next)) && live.containsKey(next)) {
          merged[n++] = next;
        }
      }
      sorted = Arrays.copyOf(merged, n);
      added.clear();
      removed = 0;
    }
  }
}
