package dev.skiff.apiserver.metrics.resource;

import java.time.Duration;
import java.time.Instant;

/**
 * Usage over the window between two scrapes: cpu as a rate in nanocores, memory the working set at
 * the later one, {@code timestamp} the later sample's time (as metrics-server reports them).
 */
public record UsageWindow(long nanoCores, long memoryBytes, Instant timestamp, Duration window) {

  /** Cumulative cpu seconds and working set bytes at one instant. */
  record Point(double cpuSeconds, long memoryBytes, long timestampMillis) {}

  /** The last two points of one container or node. */
  static final class Series {
    private Point previous;
    private Point last;

    void add(Point p) {
      if (last != null && p.timestampMillis() <= last.timestampMillis()) {
        return;
      }
      previous = last;
      last = p;
    }

    /** Null until two points exist, or when the counter went back (a restarted container). */
    UsageWindow usage() {
      if (previous == null || last.cpuSeconds() < previous.cpuSeconds()) {
        return null;
      }
      long millis = last.timestampMillis() - previous.timestampMillis();
      double rate = (last.cpuSeconds() - previous.cpuSeconds()) / (millis / 1000.0);
      return new UsageWindow(
          Math.round(rate * 1e9),
          last.memoryBytes(),
          Instant.ofEpochMilli(last.timestampMillis()),
          Duration.ofMillis(millis));
    }
  }
}
