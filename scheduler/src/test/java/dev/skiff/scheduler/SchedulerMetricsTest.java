package dev.skiff.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.metrics.PrometheusText;
import dev.skiff.scheduler.queue.SchedulingQueue;
import org.junit.jupiter.api.Test;

class SchedulerMetricsTest {
  private static double value(PrometheusText.Exposition e, String metric, String... labels) {
    return e.named(metric).stream()
        .filter(
            s -> {
              for (int i = 0; i < labels.length; i += 2) {
                if (!s.label(labels[i]).equals(labels[i + 1])) {
                  return false;
                }
              }
              return true;
            })
        .mapToDouble(PrometheusText.Sample::value)
        .sum();
  }

  @Test
  void attemptsAndPendingPodsRenderAsPrometheusText() {
    try (SchedulerMetrics m = new SchedulerMetrics(() -> new SchedulingQueue.Sizes(3, 1, 2, 0))) {
      PrometheusText.Exposition before = PrometheusText.parse(m.render());
      m.attempt("scheduled", "metrics-test", 2_000_000);
      m.attempt("unschedulable", "metrics-test", 30_000_000);
      PrometheusText.Exposition e = PrometheusText.parse(m.render());
      String[] scheduled = {"profile", "metrics-test", "result", "scheduled"};
      assertEquals(
          1,
          value(e, "scheduler_schedule_attempts_total", scheduled)
              - value(before, "scheduler_schedule_attempts_total", scheduled));
      assertEquals(
          1,
          value(
                  e,
                  "scheduler_scheduling_attempt_duration_seconds_bucket",
                  "profile",
                  "metrics-test",
                  "result",
                  "unschedulable",
                  "le",
                  "0.032")
              - value(
                  before,
                  "scheduler_scheduling_attempt_duration_seconds_bucket",
                  "profile",
                  "metrics-test",
                  "result",
                  "unschedulable",
                  "le",
                  "0.032"));
      assertTrue(value(e, "scheduler_pending_pods", "queue", "active") >= 3);
      assertEquals(1, m.attempts("scheduled"));
    }
  }
}
