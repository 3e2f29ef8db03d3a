package dev.skiff.controllers.podautoscaler;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one autoscaler recommended and did recently: recommendations for the stabilization windows,
 * and scale events (replicas added or removed) for the rate-limiting policies' periods. Kept in
 * memory, as upstream's controller keeps it.
 */
final class ScalingHistory {
  record Recommendation(Instant at, int replicas) {}

  record ScaleEvent(Instant at, int change) {}

  private final List<Recommendation> recommendations = new ArrayList<>();
  private final List<ScaleEvent> ups = new ArrayList<>();
  private final List<ScaleEvent> downs = new ArrayList<>();

  synchronized List<Recommendation> recommendations() {
    return List.copyOf(recommendations);
  }

  /** Records a recommendation, dropping those older than any window can see. */
  synchronized void recommend(Instant at, int replicas, Duration longestWindow) {
    recommendations.removeIf(r -> r.at().isBefore(at.minus(longestWindow)));
    recommendations.add(new Recommendation(at, replicas));
  }

  synchronized void scaled(Instant at, int from, int to, Duration longestPeriod) {
    ups.removeIf(e -> e.at().isBefore(at.minus(longestPeriod)));
    downs.removeIf(e -> e.at().isBefore(at.minus(longestPeriod)));
    if (to > from) {
      ups.add(new ScaleEvent(at, to - from));
    } else if (to < from) {
      downs.add(new ScaleEvent(at, from - to));
    }
  }

  /** Replicas added (or removed) within {@code period} before {@code now}. */
  synchronized int changedWithin(boolean up, Instant now, Duration period) {
    int sum = 0;
    for (ScaleEvent e : up ? ups : downs) {
      if (e.at().isAfter(now.minus(period))) {
        sum += e.change();
      }
    }
    return sum;
  }
}
