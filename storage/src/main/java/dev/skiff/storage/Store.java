package dev.skiff.storage;

import java.util.Optional;

/**
 * A revisioned key-value store with etcd v3 semantics: one global, strictly increasing revision per
 * store; every write gets the next revision; watches deliver every change in revision order without
 * gaps. The API server depends only on this contract, so backends are interchangeable.
 *
 * <p>Keys are paths such as {@code /registry/pods/default/web-0}; values are opaque bytes.
 */
public interface Store extends AutoCloseable {

  /** The revision of the latest committed write (0 for an empty new store). */
  long currentRevision();

  /** The value at the current revision. */
  Optional<KeyValue> get(String key);

  /**
   * The value as of {@code revision} (0 = current).
   *
   * @throws StorageException.Compacted if {@code revision} is older than the compacted revision
   */
  Optional<KeyValue> get(String key, long revision);

  /**
   * Keys under {@code prefix} in key order, strictly after {@code startAfter} (null = from the
   * start), at most {@code limit} (0 = no limit), as of {@code revision} (0 = current).
   */
  RangeResult list(String prefix, String startAfter, int limit, long revision);

  /** Number of live keys under {@code prefix}. */
  long count(String prefix);

  /**
   * Creates the key if absent.
   *
   * @param ttlSeconds seconds after which the key is deleted by the store, 0 = never
   * @throws StorageException.KeyExists if the key is present
   */
  KeyValue create(String key, byte[] value, long ttlSeconds);

  /**
   * Compare-and-swap: replaces the value if the key's mod revision equals {@code
   * expectedModRevision} (0 = unconditional, but the key must exist).
   *
   * @throws StorageException.KeyNotFound if the key is absent
   * @throws StorageException.Conflict if the mod revision differs
   */
  KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds);

  /**
   * Deletes the key if its mod revision equals {@code expectedModRevision} (0 = unconditional).
   *
   * @return the deleted value; its {@code modRevision} is the revision of the delete
   * @throws StorageException.KeyNotFound if the key is absent
   * @throws StorageException.Conflict if the mod revision differs
   */
  KeyValue delete(String key, long expectedModRevision);

  /**
   * Watches keys under {@code prefix} for changes with revision greater than {@code afterRevision}.
   * Events already stored since then are replayed first, then live ones follow, in revision order,
   * each delivered exactly once, on a thread owned by the store; the listener must not block for
   * long.
   *
   * @throws StorageException.Compacted if history after {@code afterRevision} is gone
   */
  Watch watch(String prefix, long afterRevision, WatchListener listener);

  /** Discards history older than {@code revision}; the latest value of every key is kept. */
  void compact(long revision);

  /** The oldest revision still readable (0 if never compacted). */
  long compactedRevision();

  @Override
  void close();

  /** Receives the events of one watch. */
  interface WatchListener {
    void onEvent(WatchEvent event);

    /** The watch ended abnormally (store closed, backend lost); no more events follow. */
    default void onError(StorageException error) {}
  }

  /** A running watch; closing it stops delivery. */
  interface Watch extends AutoCloseable {
    @Override
    void close();
  }
}
