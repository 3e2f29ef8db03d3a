package dev.skiff.apiserver.metrics;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Store;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** A store whose every call is timed into {@code etcd_request_duration_seconds}. */
public final class InstrumentedStore implements Store {
  private final Store delegate;
  private final Function<String, String> typeOfKey;

  /**
   * @param typeOfKey the {@code type} label of a key or prefix, e.g. {@code pods}
   */
  public InstrumentedStore(Store delegate, Function<String, String> typeOfKey) {
    this.delegate = delegate;
    this.typeOfKey = typeOfKey;
  }

  private <T> T timed(String operation, String key, Supplier<T> call) {
    long start = System.nanoTime();
    try {
      return call.get();
    } finally {
      ApiServerMetrics.STORAGE
          .labelValues(operation, typeOfKey.apply(key))
          .observe((System.nanoTime() - start) / 1e9);
    }
  }

  @Override
  public long currentRevision() {
    return delegate.currentRevision();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return timed("get", key, () -> delegate.get(key));
  }

  @Override
  public Optional<KeyValue> get(String key, long revision) {
    return timed("get", key, () -> delegate.get(key, revision));
  }

  @Override
  public RangeResult list(String prefix, String startAfter, int limit, long revision) {
    return timed("list", prefix, () -> delegate.list(prefix, startAfter, limit, revision));
  }

  @Override
  public long count(String prefix) {
    return timed("count", prefix, () -> delegate.count(prefix));
  }

  @Override
  public KeyValue create(String key, byte[] value, long ttlSeconds) {
    return timed("create", key, () -> delegate.create(key, value, ttlSeconds));
  }

  @Override
  public KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    return timed("update", key, () -> delegate.update(key, value, expectedModRevision, ttlSeconds));
  }

  @Override
  public KeyValue delete(String key, long expectedModRevision) {
    return timed("delete", key, () -> delegate.delete(key, expectedModRevision));
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    return delegate.watch(prefix, afterRevision, listener);
  }

  @Override
  public void compact(long revision) {
    timed(
        "compact",
        "",
        () -> {
          delegate.compact(revision);
          return null;
        });
  }

  @Override
  public long compactedRevision() {
    return delegate.compactedRevision();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
