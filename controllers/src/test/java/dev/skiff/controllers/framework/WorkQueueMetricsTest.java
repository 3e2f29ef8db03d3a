package dev.skiff.controllers.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.apiserver.metrics.PrometheusText;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WorkQueueMetricsTest {
  private static PrometheusText.Exposition scrape() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, PrometheusRegistry.defaultRegistry.scrape());
    return PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
  }

  private static double value(PrometheusText.Exposition e, String metric, String queue) {
    return e.named(metric).stream()
        .filter(s -> s.label("name").equals(queue))
        .mapToDouble(PrometheusText.Sample::value)
        .sum();
  }

  @Test
  void queueReportsAddsDepthAndDurationsUnderItsName() throws Exception {
    // The registry is the process's: a name of its own keeps other queues' counts out.
    String name = "metrics-test-queue-" + java.util.UUID.randomUUID();
    try (WorkQueue<String> queue = new WorkQueue<>(name, RateLimiter.controllerDefault())) {
      queue.add("a");
      queue.add("b");
      queue.add("a"); // deduplicated while waiting: not an add
      PrometheusText.Exposition waiting = scrape();
      assertEquals(2, value(waiting, "workqueue_adds_total", name));
      assertEquals(2, value(waiting, "workqueue_depth", name));
      String item = queue.get().orElseThrow();
      queue.done(item);
      PrometheusText.Exposition e = scrape();
      assertEquals(1, value(e, "workqueue_depth", name));
      assertEquals(1, value(e, "workqueue_queue_duration_seconds_count", name));
      assertEquals(1, value(e, "workqueue_work_duration_seconds_count", name));
      assertEquals("histogram", e.types().get("workqueue_work_duration_seconds"));
      // A retry counts at once; the item itself comes back after the rate limiter's delay.
      queue.addRateLimited(item);
      assertEquals(1, value(scrape(), "workqueue_retries_total", name));
    }
    assertEquals(0, value(scrape(), "workqueue_depth", name));
  }
}
