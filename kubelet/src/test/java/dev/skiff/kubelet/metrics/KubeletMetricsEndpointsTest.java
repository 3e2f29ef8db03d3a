package dev.skiff.kubelet.metrics;

import static dev.skiff.kubelet.testing.TestPods.sleeper;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.metrics.PrometheusText;
import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.testing.TestCluster;
import dev.skiff.kubelet.testing.TestPods;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubeletMetricsEndpointsTest {
  private TestCluster cluster;
  private Kubelet kubelet;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    cluster = new TestCluster("node-a");
    cluster.runtime.cpuNanos = 1_500_000_000L;
    cluster.runtime.workingSetBytes = 4 * 1024 * 1024;
    kubelet = cluster.startKubelet();
    cluster.create(
        sleeper("web", "node-a")
            .editSpec()
            .addNewContainer()
            .withName("sidecar")
            .withImage(TestPods.IMAGE)
            .endContainer()
            .endSpec()
            .build());
    cluster.awaitPod("web", p -> "Running".equals(p.getStatus().getPhase()));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private PrometheusText.Exposition scrape(String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + kubelet.streamingPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return PrometheusText.parse(r.body());
  }

  @Test
  void resourceMetricsCarryUsageWithUpstreamLabels() throws Exception {
    PrometheusText.Exposition e = scrape("/metrics/resource");
    List<PrometheusText.Sample> cpu = e.named("container_cpu_usage_seconds_total");
    assertEquals(2, cpu.size());
    PrometheusText.Sample app =
        cpu.stream().filter(s -> s.label("container").equals("app")).findFirst().orElseThrow();
    assertEquals("web", app.label("pod"));
    assertEquals("default", app.label("namespace"));
    assertEquals(1.5, app.value(), 1e-9);
    assertTrue(app.timestampMillis() != null && app.timestampMillis() > 0);
    assertEquals("counter", e.types().get("container_cpu_usage_seconds_total"));
    PrometheusText.Sample pod = e.named("pod_cpu_usage_seconds_total").getFirst();
    assertEquals(3.0, pod.value(), 1e-9);
    assertEquals(8 * 1024 * 1024, e.named("pod_memory_working_set_bytes").getFirst().value(), 1e-9);
    assertEquals(2, e.named("container_memory_working_set_bytes").size());
    assertEquals(2, e.named("container_start_time_seconds").size());
    assertTrue(e.named("node_cpu_usage_seconds_total").getFirst().value() > 0);
    assertTrue(e.named("node_memory_working_set_bytes").getFirst().value() > 0);
    assertEquals(0, e.named("resource_scrape_error").getFirst().value());
  }

  @Test
  void cadvisorMetricsNameContainersAndImages() throws Exception {
    PrometheusText.Exposition e = scrape("/metrics/cadvisor");
    PrometheusText.Sample cpu = e.named("container_cpu_usage_seconds_total").getFirst();
    assertEquals("total", cpu.label("cpu"));
    assertEquals("busybox:1.36", cpu.label("image"));
    assertEquals("web", cpu.label("pod"));
    assertEquals(2, e.named("container_memory_usage_bytes").size());
  }

  @Test
  void kubeletMetricsCountPodsAndRuntimeOperations() throws Exception {
    PrometheusText.Exposition e = scrape("/metrics");
    assertEquals(1, e.named("kubelet_running_pods").getFirst().value());
    assertEquals(
        2,
        e.named("kubelet_running_containers").stream()
            .filter(s -> s.label("container_state").equals("running"))
            .findFirst()
            .orElseThrow()
            .value());
    assertEquals(1, e.named("kubelet_pod_start_duration_seconds_count").getFirst().value());
    assertTrue(
        e.named("kubelet_runtime_operations_total").stream()
            .anyMatch(s -> s.label("operation_type").equals("run_podsandbox") && s.value() >= 1));
    assertTrue(
        e.named("kubelet_runtime_operations_duration_seconds_count").stream()
            .anyMatch(s -> s.label("operation_type").equals("start_container") && s.value() >= 2));
  }
}
