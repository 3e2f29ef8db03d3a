package dev.skiff.apiserver.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.apiserver.auth.SecureServer;
import java.net.http.HttpClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who may read metrics, with RBAC on: {@code /metrics} is the non-resource URL that upstream's
 * system:monitoring grants, and usage from metrics.k8s.io is readable by whoever may view a
 * namespace, through system:aggregated-metrics-reader aggregated into view.
 */
class MetricsAccessTest {
  private static SecureServer server;
  private static HttpClient admin;
  private static HttpClient alice;

  @BeforeAll
  static void start() throws Exception {
    server = SecureServer.start();
    admin = server.client("admin");
    alice = server.client("alice");
    assertEquals(
        201,
        server
            .send(admin, "POST", "/api/v1/namespaces", null, "{\"metadata\":{\"name\":\"team\"}}")
            .code());
  }

  @AfterAll
  static void stop() throws Exception {
    admin.shutdownNow();
    alice.shutdownNow();
    server.close();
  }

  private static void bind(String path, String name, String role) throws Exception {
    String body =
        "{\"metadata\":{\"name\":\""
            + name
            + "\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"ClusterRole\","
            + "\"name\":\""
            + role
            + "\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\","
            + "\"name\":\"alice\"}]}";
    assertEquals(201, server.send(admin, "POST", path, null, body).code());
  }

  @Test
  void metricsEndpointNeedsSystemMonitoring() throws Exception {
    SecureServer.Reply refused = server.send(alice, "GET", "/metrics", null, null);
    assertEquals(403, refused.code());
    assertEquals("forbidden: User \"alice\" cannot get path \"/metrics\"", refused.message());
    bind(
        "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
        "alice-monitoring",
        "system:monitoring");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.send(alice, "GET", "/metrics", null, null).code() == 200);
  }

  @Test
  void viewersOfANamespaceMayReadItsPodMetrics() throws Exception {
    String pods = "/apis/metrics.k8s.io/v1beta1/namespaces/team/pods";
    assertEquals(403, server.send(alice, "GET", pods, null, null).code());
    bind("/apis/rbac.authorization.k8s.io/v1/namespaces/team/rolebindings", "alice-view", "view");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> server.send(alice, "GET", pods, null, null).code() == 200);
    assertEquals(
        403,
        server
            .send(alice, "GET", "/apis/metrics.k8s.io/v1beta1/namespaces/other/pods", null, null)
            .code());
  }
}
