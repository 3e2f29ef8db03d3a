package dev.skiff.scheduler;

import dev.skiff.scheduler.queue.SchedulingQueue;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;

/**
 * Upstream's core scheduler metrics in the Prometheus text format: {@code
 * scheduler_schedule_attempts_total}, {@code scheduler_scheduling_attempt_duration_seconds} and
 * {@code scheduler_pending_pods}.
 */
public final class SchedulerMetrics {
  // Upstream's buckets: 1 ms doubling, 15 of them.
  private static final double[] BUCKETS = new double[15];

  static {
    for (int i = 0; i < BUCKETS.length; i++) {
      BUCKETS[i] = 0.001 * Math.pow(2, i);
    }
  }

  /** Per (result, profile): bucket counts, then count, then the sum in nanoseconds. */
  private final Map<String, AtomicLongArray> series = new TreeMap<>();

  private final Supplier<SchedulingQueue.Sizes> queueSizes;

  public SchedulerMetrics(Supplier<SchedulingQueue.Sizes> queueSizes) {
    this.queueSizes = queueSizes;
  }

  /**
   * @param result scheduled, unschedulable or error
   */
  public void attempt(String result, String profile, long nanos) {
    AtomicLongArray s;
    synchronized (series) {
      s =
          series.computeIfAbsent(
              result + "\0" + profile, k -> new AtomicLongArray(BUCKETS.length + 2));
    }
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        s.incrementAndGet(i);
      }
    }
    s.incrementAndGet(BUCKETS.length);
    s.addAndGet(BUCKETS.length + 1, nanos);
  }

  /** Total attempts with this result over all profiles. */
  public long attempts(String result) {
    long n = 0;
    synchronized (series) {
      for (var e : series.entrySet()) {
        if (e.getKey().startsWith(result + "\0")) {
          n += e.getValue().get(BUCKETS.length);
        }
      }
    }
    return n;
  }

  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(
            "# HELP scheduler_schedule_attempts_total Number of attempts to schedule pods, by the")
        .append(" result.\n# TYPE scheduler_schedule_attempts_total counter\n");
    Map<String, AtomicLongArray> copy;
    synchronized (series) {
      copy = new TreeMap<>(series);
    }
    copy.forEach(
        (k, s) ->
            sb.append("scheduler_schedule_attempts_total")
                .append(labels(k))
                .append(' ')
                .append(s.get(BUCKETS.length))
                .append('\n'));
    String h = "scheduler_scheduling_attempt_duration_seconds";
    sb.append("# HELP ").append(h).append(" Scheduling attempt latency in seconds.\n");
    sb.append("# TYPE ").append(h).append(" histogram\n");
    copy.forEach(
        (k, s) -> {
          String l = labels(k);
          String inner = l.substring(1, l.length() - 1);
          for (int i = 0; i < BUCKETS.length; i++) {
            sb.append(h)
                .append("_bucket{")
                .append(inner)
                .append(",le=\"")
                .append(String.format(Locale.ROOT, "%s", BUCKETS[i]))
                .append("\"} ")
                .append(s.get(i))
                .append('\n');
          }
          sb.append(h)
              .append("_bucket{")
              .append(inner)
              .append(",le=\"+Inf\"} ")
              .append(s.get(BUCKETS.length))
              .append('\n');
          sb.append(h)
              .append("_sum")
              .append(l)
              .append(' ')
              .append(String.format(Locale.ROOT, "%.9f", s.get(BUCKETS.length + 1) / 1e9))
              .append('\n');
          sb.append(h)
              .append("_count")
              .append(l)
              .append(' ')
              .append(s.get(BUCKETS.length))
              .append('\n');
        });
    SchedulingQueue.Sizes q = queueSizes.get();
    sb.append("# HELP scheduler_pending_pods Number of pending pods, by the queue type.\n")
        .append("# TYPE scheduler_pending_pods gauge\n")
        .append("scheduler_pending_pods{queue=\"active\"} ")
        .append(q.active())
        .append('\n')
        .append("scheduler_pending_pods{queue=\"backoff\"} ")
        .append(q.backoff())
        .append('\n')
        .append("scheduler_pending_pods{queue=\"unschedulable\"} ")
        .append(q.unschedulable())
        .append('\n');
    return sb.toString();
  }

  private static String labels(String key) {
    int sep = key.indexOf('\0');
    return "{profile=\"" + key.substring(sep + 1) + "\",result=\"" + key.substring(0, sep) + "\"}";
  }
}
