package dev.skiff.controllers.framework;

import java.time.Duration;

/** Decides how long an item waits before it is processed again, as client-go's workqueue does. */
public interface RateLimiter<T> {

  /** The delay before {@code item} may be retried; counts one more failure for it. */
  Duration when(T item);

  /** Forgets the failures of {@code item} once it was processed successfully. */
  void forget(T item);

  /** How many times {@code item} has failed in a row. */
  int retries(T item);

  /**
   * Upstream's default controller rate limiter: per-item exponential backoff from 5 ms up to 1000
   * s, bounded overall by a token bucket of 10 per second with a burst of 100.
   */
  static <T> RateLimiter<T> controllerDefault() {
    return maxOf(
        new ItemExponentialRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000)),
        new BucketRateLimiter<>(10, 100));
  }

  /** The longest delay of two limiters, as client-go's MaxOfRateLimiter. */
  static <T> RateLimiter<T> maxOf(RateLimiter<T> first, RateLimiter<T> second) {
    return new RateLimiter<>() {
      @Override
      public Duration when(T item) {
        Duration a = first.when(item);
        Duration b = second.when(item);
        return a.compareTo(b) >= 0 ? a : b;
      }

      @Override
      public void forget(T item) {
        first.forget(item);
        second.forget(item);
      }

      @Override
      public int retries(T item) {
        return Math.max(first.retries(item), second.retries(item));
      }
    };
  }
}
