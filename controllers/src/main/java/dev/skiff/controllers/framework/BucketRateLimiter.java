package dev.skiff.controllers.framework;

import java.time.Duration;

/**
 * A token bucket shared by all items: {@code perSecond} tokens a second, up to {@code burst} saved.
 * Each call reserves a token, possibly in the future, and returns how long to wait for it.
 */
public final class BucketRateLimiter<T> implements RateLimiter<T> {
  private final double perSecond;
  private final double burst;
  private double tokens;
  private long lastNanos;

  public BucketRateLimiter(double perSecond, int burst) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = System.nanoTime();
  }

  @Override
  public synchronized Duration when(T item) {
    long now = System.nanoTime();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * perSecond);
    lastNanos = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) (-tokens / perSecond * 1e9));
  }

  @Override
  public void forget(T item) {}

  @Override
  public int retries(T item) {
    return 0;
  }
}
