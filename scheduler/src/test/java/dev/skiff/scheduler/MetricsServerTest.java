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
  @Test
  void servesAttemptsLatencyAndPendingPods() throws Exception {
    InMemoryScheduler s = new InMemoryScheduler();
    s.addNode(node("n1", "1", "1Gi", Map.of()));
    s.createPod(pod("fits", "100m", "10Mi"));
    s.createPod(pod("too-big", "2", "10Mi"));
    s.scheduleAll();
    try (MetricsServer server =
            new MetricsServer(new InetSocketAddress("127.0.0.1", 0), s.metrics::render);
        HttpClient http = HttpClient.newHttpClient()) {
      var r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      String body = r.body();
      assertTrue(
          body.contains(
              "scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"} 1"),
          body);
      assertTrue(
          body.contains(
              "scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"unschedulable\"} 1"),
          body);
      assertTrue(
          body.contains(
              "scheduler_scheduling_attempt_duration_seconds_bucket{profile=\"default-scheduler\",result=\"scheduled\",le=\"+Inf\"} 1"),
          body);
      assertTrue(body.contains("scheduler_pending_pods{queue=\"unschedulable\"} 1"), body);
    }
  }
}
