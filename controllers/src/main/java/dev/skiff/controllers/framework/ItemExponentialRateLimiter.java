package dev.skiff.controllers.framework;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Doubles the delay of an item on every failure, from {@code base} up to {@code max}. */
public final class ItemExponentialRateLimiter<T> implements RateLimiter<T> {
  private final Duration base;
  private final Duration max;
  private final ConcurrentMap<T, Integer> failures = new ConcurrentHashMap<>();

  public ItemExponentialRateLimiter(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  @Override
  public Duration when(T item) {
    int exponent = failures.merge(item, 1, Integer::sum) - 1;
    // Past 2^40 times the base any sane maximum is exceeded; stop before the shift overflows.
    if (exponent > 40) {
      return max;
    }
    long nanos = base.toNanos();
    if (nanos > max.toNanos() >> exponent) {
      return max;
    }
    return Duration.ofNanos(nanos << exponent);
  }

  @Override
  public void forget(T item) {
    failures.remove(item);
  }

  @Override
  public int retries(T item) {
    return failures.getOrDefault(item, 0);
  }
}
