package dev.skiff.controllers.framework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * How many creations and deletions a controller still expects to observe through its informers for
 * each owner key, so that it does not act twice on a stale cache. Expectations expire after five
 * minutes, as upstream's, so a lost watch event cannot wedge a controller forever.
 */
public final class Expectations {
  static final Duration TIMEOUT = Duration.ofMinutes(5);

  private record Pending(int adds, int deletes, Instant since) {}

  private final ConcurrentMap<String, Pending> pending = new ConcurrentHashMap<>();
  private final Clock clock;

  public Expectations() {
    this(Clock.systemUTC());
  }

  public Expectations(Clock clock) {
    this.clock = clock;
  }

  /** Sets the expectations of {@code key}, replacing what was there. */
  public void expect(String key, int adds, int deletes) {
    pending.put(key, new Pending(adds, deletes, clock.instant()));
  }

  /** Lowers the expected creations of {@code key} by {@code count}. */
  public void creationObserved(String key, int count) {
    pending.computeIfPresent(key, (k, p) -> new Pending(p.adds() - count, p.deletes(), p.since()));
  }

  public void creationObserved(String key) {
    creationObserved(key, 1);
  }

  /** Lowers the expected deletions of {@code key} by {@code count}. */
  public void deletionObserved(String key, int count) {
    pending.computeIfPresent(key, (k, p) -> new Pending(p.adds(), p.deletes() - count, p.since()));
  }

  public void deletionObserved(String key) {
    deletionObserved(key, 1);
  }

  /** True when everything expected for {@code key} was seen, nothing is recorded, or it expired. */
  public boolean satisfied(String key) {
    Pending p = pending.get(key);
    if (p == null) {
      return true;
    }
    if (p.adds() <= 0 && p.deletes() <= 0) {
      return true;
    }
    return Duration.between(p.since(), clock.instant()).compareTo(TIMEOUT) > 0;
  }

  public void forget(String key) {
    pending.remove(key);
  }
}
