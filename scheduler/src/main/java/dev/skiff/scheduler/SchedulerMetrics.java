package dev.skiff.scheduler;

import dev.skiff.scheduler.queue.SchedulingQueue;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Upstream's core scheduler metrics, {@code scheduler_schedule_attempts_total}, {@code
 * scheduler_scheduling_attempt_duration_seconds} and {@code scheduler_pending_pods}, in the process
 * registry (which the API server's {@code /metrics} shows when they share a JVM).
 */
public final class SchedulerMetrics implements AutoCloseable {
  private static final Counter ATTEMPTS =
      Counter.builder()
          .name("scheduler_schedule_attempts_total")
          .help(
              "[STABLE] Number of attempts to schedule pods, by the result. 'unschedulable' means"
                  + " a pod could not be scheduled, while 'error' means an internal scheduler"
                  + " problem.")
          .labelNames("profile", "result")
          .register();
  private static final Histogram DURATION =
      Histogram.builder()
          .name("scheduler_scheduling_attempt_duration_seconds")
          .help("[STABLE] Scheduling attempt latency in seconds (scheduling algorithm + binding)")
          .labelNames("profile", "result")
          .classicOnly()
          .classicExponentialUpperBounds(0.001, 2, 15)
          .register();
  private static final Set<SchedulerMetrics> LIVE = new CopyOnWriteArraySet<>();

  static {
    GaugeWithCallback.builder()
        .name("scheduler_pending_pods")
        .help(
            "[STABLE] Number of pending pods, by the queue type. 'active' means number of pods in"
                + " activeQ; 'backoff' means number of pods in backoffQ; 'unschedulable' means"
                + " number of pods in unschedulablePods.")
        .labelNames("queue")
        .callback(
            cb -> {
              int active = 0;
              int backoff = 0;
              int unschedulable = 0;
              for (SchedulerMetrics m : LIVE) {
                SchedulingQueue.Sizes q = m.queueSizes.get();
                active += q.active();
                backoff += q.backoff();
                unschedulable += q.unschedulable();
              }
              cb.call(active, "active");
              cb.call(backoff, "backoff");
              cb.call(unschedulable, "unschedulable");
            })
        .register();
  }

  private final Supplier<SchedulingQueue.Sizes> queueSizes;
  private final Map<String, LongAdder> results = new ConcurrentHashMap<>();

  public SchedulerMetrics(Supplier<SchedulingQueue.Sizes> queueSizes) {
    this.queueSizes = queueSizes;
    LIVE.add(this);
  }

  /**
   * @param result scheduled, unschedulable or error
   */
  public void attempt(String result, String profile, long nanos) {
    ATTEMPTS.labelValues(profile, result).inc();
    DURATION.labelValues(profile, result).observe(nanos / 1e9);
    results.computeIfAbsent(result, r -> new LongAdder()).increment();
  }

  /** Attempts of this scheduler with this result over all profiles. */
  public long attempts(String result) {
    LongAdder n = results.get(result);
    return n == null ? 0 : n.sum();
  }

  /** The scheduler metrics of this process in the Prometheus text format. */
  public String render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      PrometheusTextFormatWriter.create()
          .write(out, PrometheusRegistry.defaultRegistry.scrape(n -> n.startsWith("scheduler_")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    LIVE.remove(this);
  }
}
