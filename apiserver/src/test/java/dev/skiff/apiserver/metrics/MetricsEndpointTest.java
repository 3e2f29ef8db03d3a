package dev.skiff.apiserver.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API server's {@code /metrics}: valid Prometheus text with upstream's names and labels. */
class MetricsEndpointTest {
  private TestServer s;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    s = new TestServer();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  private PrometheusText.Exposition scrape() throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
    return PrometheusText.parse(r.body());
  }

  private static double value(PrometheusText.Exposition e, String name, String... labelPairs) {
    return e.named(name).stream()
        .filter(
            smp -> {
              for (int i = 0; i < labelPairs.length; i += 2) {
                if (!smp.label(labelPairs[i]).equals(labelPairs[i + 1])) {
                  return false;
                }
              }
              return true;
            })
        .mapToDouble(PrometheusText.Sample::value)
        .sum();
  }

  @Test
  void countsRequestsByVerbResourceAndCode() throws Exception {
    // Counters are the process's: other servers in this JVM count too, so compare with before.
    PrometheusText.Exposition before = scrape();
    String cm = "{\"metadata\":{\"name\":\"m1\",\"namespace\":\"default\"}}";
    assertEquals(201, s.post("/api/v1/namespaces/default/configmaps", cm).code());
    assertEquals(409, s.post("/api/v1/namespaces/default/configmaps", cm).code());
    assertEquals(200, s.get("/api/v1/namespaces/default/configmaps").code());
    assertEquals(200, s.get("/api/v1/namespaces/default/configmaps/m1").code());
    String[] create = {"verb", "POST", "resource", "configmaps", "scope", "namespace"};
    String[] created = append(create, "code", "201");
    String[] conflict = append(create, "code", "409");
    String[] list = {"verb", "LIST", "resource", "configmaps", "code", "200"};
    String[] get = {"verb", "GET", "resource", "configmaps", "scope", "resource", "code", "200"};
    String total = "apiserver_request_total";
    String count = "apiserver_request_duration_seconds_count";
    // A request is counted once its response is sent, so the last one may show a moment later.
    Awaitility.await()
        .untilAsserted(
            () -> {
              PrometheusText.Exposition e = scrape();
              assertEquals(1, value(e, total, created) - value(before, total, created));
              assertEquals(1, value(e, total, conflict) - value(before, total, conflict));
              assertEquals(1, value(e, total, list) - value(before, total, list));
              assertEquals(1, value(e, total, get) - value(before, total, get));
              assertEquals(
                  2, value(e, count, create) - value(before, count, create), "both creates timed");
            });
    PrometheusText.Exposition e = scrape();
    assertEquals("histogram", e.types().get("apiserver_request_duration_seconds"));
  }

  @Test
  void reportsStorageObjectsLatencyAndWatchers() throws Exception {
    assertEquals(
        201,
        s.post(
                "/api/v1/namespaces/default/configmaps",
                "{\"metadata\":{\"name\":\"m2\",\"namespace\":\"default\"}}")
            .code());
    HttpResponse<InputStream> watch =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(s.url() + "/api/v1/namespaces/default/configmaps?watch=true"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = watch.body();
    try {
      assertEquals(200, watch.statusCode());
      PrometheusText.Exposition e = scrape();
      assertTrue(value(e, "apiserver_storage_objects", "resource", "configmaps") >= 1);
      assertTrue(
          value(
                  e,
                  "etcd_request_duration_seconds_count",
                  "operation",
                  "create",
                  "type",
                  "configmaps")
              >= 1);
      assertTrue(
          value(e, "apiserver_registered_watchers", "kind", "ConfigMap", "version", "v1") >= 1);
      assertTrue(
          value(e, "apiserver_longrunning_requests", "verb", "WATCH", "resource", "configmaps")
              >= 1);
      for (String name :
          List.of(
              "apiserver_request_total",
              "apiserver_request_duration_seconds",
              "apiserver_storage_objects",
              "apiserver_registered_watchers",
              "apiserver_longrunning_requests",
              "etcd_request_duration_seconds")) {
        assertTrue(e.types().containsKey(name), name);
      }
    } finally {
      body.close();
    }
  }

  private static String[] append(String[] a, String... more) {
    String[] out = java.util.Arrays.copyOf(a, a.length + more.length);
    System.arraycopy(more, 0, out, a.length, more.length);
    return out;
  }
}
