package dev.skiff.kubelet.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Restart back-off per key (a container of a pod, or an image pull): 10 s, doubling to 5 min; a key
 * untouched for twice the maximum (a container that ran 10 min) starts over. Not thread-safe: one
 * pod worker owns one instance.
 */
public final class BackOff {
  public static final Duration INITIAL = Duration.ofSeconds(10);
  public static final Duration MAX = Duration.ofMinutes(5);

  private record Entry(Duration delay, Instant lastUpdate) {}

  private final Map<String, Entry> entries = new HashMap<>();

  /** True while {@code key} must still wait after an event (a container exit) at {@code since}. */
  public boolean inBackOffSince(String key, Instant since, Instant now) {
    Entry e = entries.get(key);
    if (e == null || stale(e, now)) {
      return false;
    }
    return now.isBefore(since.plus(e.delay()));
  }

  /** The delay in force for {@code key}, zero when none. */
  public Duration delay(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.delay();
  }

  /** Records an attempt: the next wait doubles (up to the maximum), or starts at 10 s. */
  public void next(String key, Instant now) {
    Entry e = entries.get(key);
    Duration d =
        e == null || stale(e, now)
            ? INITIAL
            : (e.delay().multipliedBy(2).compareTo(MAX) > 0 ? MAX : e.delay().multipliedBy(2));
    entries.put(key, new Entry(d, now));
  }

  public void reset(String key) {
    entries.remove(key);
  }

  private static boolean stale(Entry e, Instant now) {
    return now.isAfter(e.lastUpdate().plus(MAX.multipliedBy(2)));
  }
}
