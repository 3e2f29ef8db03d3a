package dev.skiff.controllers.nodelifecycle;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.SequencedSet;

/**
 * Nodes of one zone waiting for their NoExecute taint, released at a limited rate (a token bucket
 * holding at most one token) so a failing zone does not evict all its pods at once.
 */
final class EvictionQueue {
  private final SequencedSet<String> waiting = new LinkedHashSet<>();
  private double rate;
  private double tokens = 1;
  private Instant last;

  EvictionQueue(double rate, Instant now) {
    this.rate = rate;
    this.last = now;
  }

  void add(String node) {
    waiting.add(node);
  }

  void remove(String node) {
    waiting.remove(node);
  }

  boolean isEmpty() {
    return waiting.isEmpty();
  }

  /** A zero rate stops evictions outright, a token saved earlier included. */
  void setRate(double rate, Instant now) {
    refill(now);
    this.rate = rate;
    if (rate <= 0) {
      tokens = 0;
    }
  }

  /** The next node whose turn has come, if a token is available. */
  Optional<String> next(Instant now) {
    refill(now);
    if (waiting.isEmpty() || tokens < 1) {
      return Optional.empty();
    }
    tokens -= 1;
    return Optional.of(waiting.removeFirst());
  }

  private void refill(Instant now) {
    double seconds = Math.max(0, (now.toEpochMilli() - last.toEpochMilli()) / 1000.0);
    tokens = Math.min(1, tokens + seconds * rate);
    last = now;
  }
}
