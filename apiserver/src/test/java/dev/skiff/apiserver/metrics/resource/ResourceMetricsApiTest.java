package dev.skiff.apiserver.metrics.resource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.quantity.Quantity;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.MemoryStore;
import dev.skiff.apiserver.testing.TestKubectl;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resource metrics API from kubelet scrapes: usage rates over the scrape window, selectors,
 * errors, discovery, and the real {@code kubectl top} reading it.
 */
class ResourceMetricsApiTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Path dir;
  private static ScrapedKubelet kubelet;
  private static ApiServer server;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("metrics-api-test");
    kubelet = new ScrapedKubelet(dir);
    server = new ApiServer(ApiServerConfig.plainHttp(0), new MemoryStore(), new BuiltinRegistry());
    server.setMetricResolution(Duration.ofMillis(500));
    server.start();
    String node =
        "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"node-a\","
            + "\"labels\":{\"zone\":\"a\"}},\"status\":{\"capacity\":{\"cpu\":\"4\","
            + "\"memory\":\"8Gi\"},\"allocatable\":{\"cpu\":\"4\",\"memory\":\"8Gi\"},"
            + "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
            + "\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
            + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":"
            + kubelet.port()
            + "}}}}";
    assertEquals(201, send("POST", "/api/v1/nodes", node).statusCode());
    assertEquals(200, send("PUT", "/api/v1/nodes/node-a/status", node).statusCode());
    assertEquals(
        201, send("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"p1\"}}").statusCode());
    String pod =
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\",\"namespace\":"
            + "\"p1\",\"labels\":{\"app\":\"web\"}},\"spec\":{\"nodeName\":\"node-a\","
            + "\"containers\":[{\"name\":\"app\",\"image\":\"x\"},{\"name\":\"sidecar\","
            + "\"image\":\"x\"}]}}";
    assertEquals(201, send("POST", "/api/v1/namespaces/p1/pods", pod).statusCode());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              System.out.println(
                  "DBG "
                      + get("/apis/metrics.k8s.io/v1beta1/pods")
                      + get("/apis/metrics.k8s.io/v1beta1/nodes")
                      + get("/api/v1/nodes"));
              return get("/apis/metrics.k8s.io/v1beta1/pods").path("items").size() == 1;
            });
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (kubelet != null) {
      kubelet.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode get(String path) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }

  private static double cores(JsonNode usage) {
    return Quantity.parse(usage.path("cpu").asText()).amount().doubleValue();
  }

  @Test
  void nodeUsageIsTheRateOverTheScrapeWindow() throws Exception {
    JsonNode list = get("/apis/metrics.k8s.io/v1beta1/nodes");
    assertEquals("NodeMetricsList", list.path("kind").asText());
    JsonNode m = list.path("items").get(0);
    assertEquals("NodeMetrics", m.path("kind").asText());
    assertEquals("metrics.k8s.io/v1beta1", m.path("apiVersion").asText());
    assertEquals("node-a", m.path("metadata").path("name").asText());
    assertEquals("a", m.path("metadata").path("labels").path("zone").asText());
    assertEquals(1.0, cores(m.path("usage")), 0.05);
    assertEquals("2Gi", m.path("usage").path("memory").asText());
    assertTrue(m.path("window").asText().endsWith("s"), m.toString());
    assertTrue(m.path("timestamp").asText().endsWith("Z"));
    assertEquals(
        "node-a", get("/apis/metrics.k8s.io/v1beta1/nodes/node-a").at("/metadata/name").asText());
  }

  @Test
  void podUsageListsEveryContainer() throws Exception {
    JsonNode m = get("/apis/metrics.k8s.io/v1beta1/namespaces/p1/pods/web");
    assertEquals("PodMetrics", m.path("kind").asText());
    assertEquals("p1", m.path("metadata").path("namespace").asText());
    JsonNode containers = m.path("containers");
    assertEquals(2, containers.size());
    assertEquals("app", containers.get(0).path("name").asText());
    assertEquals(0.25, cores(containers.get(0).path("usage")), 0.02);
    assertEquals("10Mi", containers.get(1).path("usage").path("memory").asText());
  }

  @Test
  void selectorsApplyToThePods() throws Exception {
    assertEquals(
        1,
        get("/apis/metrics.k8s.io/v1beta1/namespaces/p1/pods?labelSelector=app%3Dweb")
            .path("items")
            .size());
    assertEquals(
        0, get("/apis/metrics.k8s.io/v1beta1/pods?labelSelector=app%3Ddb").path("items").size());
    assertEquals(0, get("/apis/metrics.k8s.io/v1beta1/namespaces/other/pods").path("items").size());
  }

  @Test
  void missingObjectsAreNotFoundAndWritesRefused() throws Exception {
    JsonNode missing = get("/apis/metrics.k8s.io/v1beta1/namespaces/p1/pods/nope");
    assertEquals(404, missing.path("code").asInt());
    assertEquals(
        "podmetrics.metrics.k8s.io \"p1/nope\" not found", missing.path("message").asText());
    assertEquals(
        "nodemetrics.metrics.k8s.io \"nope\" not found",
        get("/apis/metrics.k8s.io/v1beta1/nodes/nope").path("message").asText());
    assertEquals(405, send("POST", "/apis/metrics.k8s.io/v1beta1/nodes", "{}").statusCode());
  }

  @Test
  void discoveryListsTheGroup() throws Exception {
    JsonNode list = get("/apis/metrics.k8s.io/v1beta1");
    List<String> names = new ArrayList<>();
    list.path("resources").forEach(r -> names.add(r.path("name").asText()));
    assertEquals(List.of("nodes", "pods"), names);
    assertTrue(get("/apis").toString().contains("\"metrics.k8s.io\""));
  }

  @Test
  void kubectlTopReadsIt() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(TestKubectl.installed());
    TestKubectl kubectl = new TestKubectl(dir, "http://127.0.0.1:" + server.port(), "default");
    String nodes = kubectl.ok("top", "nodes");
    assertTrue(nodes.startsWith("NAME"), nodes);
    assertTrue(nodes.matches("(?s).*node-a\\s+\\d+m\\s+2\\d%\\s+2048Mi\\s+25%.*"), nodes);
    String pods = kubectl.ok("top", "pods", "-A", "--containers");
    assertTrue(pods.matches("(?s).*p1\\s+web\\s+app\\s+2[45]\\dm\\s+10Mi.*"), pods);
    assertTrue(pods.matches("(?s).*p1\\s+web\\s+sidecar\\s+2[45]\\dm\\s+10Mi.*"), pods);
  }
}
