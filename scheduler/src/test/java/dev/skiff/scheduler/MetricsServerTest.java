package dev.skiff.scheduler;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
  private static final String SCHEDULED =
      "scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"}";
  private static final String UNSCHEDULABLE =
      "scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"unschedulable\"}";
  private static final String SCHEDULED_LATENCY =
      "scheduler_scheduling_attempt_duration_seconds_bucket{profile=\"default-scheduler\","
          + "result=\"scheduled\",le=\"+Inf\"}";

  /** A sample's value in Prometheus text, 0 when absent (the registry is the process's). */
  private static double value(String text, String sample) {
    for (String line : text.split("\n")) {
      if (line.startsWith(sample + " ")) {
        return Double.parseDouble(line.substring(sample.length() + 1).trim());
      }
    }
    return 0;
  }

  private static String scrape(HttpClient http, MetricsServer server) throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    return r.body();
  }

  @Test
  void servesAttemptsLatencyAndPendingPods() throws Exception {
    InMemoryScheduler s = new InMemoryScheduler();
    s.addNode(node("n1", "1", "1Gi", Map.of()));
    s.createPod(pod("fits", "100m", "10Mi"));
    s.createPod(pod("too-big", "2", "10Mi"));
    try (MetricsServer server =
            new MetricsServer(new InetSocketAddress("127.0.0.1", 0), s.metrics::render);
        HttpClient http = HttpClient.newHttpClient()) {
      String before = scrape(http, server);
      s.scheduleAll();
      String body = scrape(http, server);
      assertEquals(1, value(body, SCHEDULED) - value(before, SCHEDULED), body);
      assertEquals(1, value(body, UNSCHEDULABLE) - value(before, UNSCHEDULABLE), body);
      assertEquals(1, value(body, SCHEDULED_LATENCY) - value(before, SCHEDULED_LATENCY), body);
      assertTrue(body.contains("scheduler_pending_pods{queue=\"unschedulable\"} "), body);
    }
  }
}
