package dev.skiff.apiserver.registry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Keys that count for a while after they were marked: the namespaces and the like whose state this
 * server changed a moment ago, which it reads live rather than trust a cache that may not have seen
 * the change yet.
 */
public final class ExpiringKeys {
  private final long ttlNanos;
  private final LongSupplier nanoClock;
  private final Map<String, Long> until = new ConcurrentHashMap<>();

  public ExpiringKeys(Duration ttl) {
    this(ttl, System::nanoTime);
  }

  public ExpiringKeys(Duration ttl, LongSupplier nanoClock) {
    this.ttlNanos = ttl.toNanos();
    this.nanoClock = nanoClock;
  }

  /** {@code key} counts from now until the time to live has passed. */
  public void mark(String key) {
    until.put(key, nanoClock.getAsLong() + ttlNanos);
  }

  public boolean contains(String key) {
    if (until.isEmpty()) {
      return false;
    }
    Long end = until.get(key);
    if (end == null) {
      return false;
    }
    if (end - nanoClock.getAsLong() > 0) {
      return true;
    }
    until.remove(key, end);
    return false;
  }
}
