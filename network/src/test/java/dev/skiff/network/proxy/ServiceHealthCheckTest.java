package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.network.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Taint;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kube-proxy's health checks against the real API server: a LoadBalancer Service with the Local
 * external traffic policy gets its healthCheckNodePort served on loopback, answering by the ready
 * endpoints on this node; the proxy's own /healthz and /livez report it and its node.
 */
class ServiceHealthCheckTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NODE = "node-a";
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The health checks need no rules: restores succeed and nothing is listed. */
  private static final class NoRules implements Iptables {
    @Override
    public void restore(String input) {}

    @Override
    public Map<String, Set<String>> kubeChains(Set<String> tables) {
      return Map.of();
    }

    @Override
    public void ensureRule(String table, String chain, List<String> spec) {}

    @Override
    public void deleteRule(String table, String chain, List<String> spec) {}
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Service localLoadBalancer() {
    Service svc = service("default", "web", "10.43.0.40", 80).build();
    svc.getMetadata().setName("web");
    svc.getSpec().setClusterIP(null);
    svc.getSpec().setClusterIPs(null);
    svc.getSpec().setType("LoadBalancer");
    svc.getSpec().setExternalTrafficPolicy("Local");
    return svc;
  }

  @Test
  void healthCheckNodePortAnswersByLocalReadyEndpoints() throws Exception {
    try (TestApiServer api = new TestApiServer()) {
      var client = api.client();
      client
          .nodes()
          .resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build())
          .create();
      Service created = client.services().resource(localLoadBalancer()).create();
      int port = created.getSpec().getHealthCheckNodePort();
      assertTrue(port >= 30000, "allocated healthCheckNodePort " + port);

      ServiceProxy proxy =
          new ServiceProxy(
              client, ProxyConfig.of(NODE, "10.42.0.0/16"), new NoRules(), Duration.ofMillis(100));
      try {
        proxy.serveHealthChecks("127.0.0.1", 0);
        proxy.start();
        HttpResponse<String> none =
            await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> get(port, "/"), r -> r.statusCode() == 503);
        assertEquals("0", none.headers().firstValue("X-Load-Balancing-Endpoint-Weight").orElse(""));
        assertEquals(
            "{\n\t\"service\": {\n\t\t\"namespace\": \"default\",\n\t\t\"name\": \"web\"\n\t},"
                + "\n\t\"localEndpoints\": 0,\n\t\"serviceProxyHealthy\": true\n}",
            none.body());

        // Two ready pods here, one not ready here, one elsewhere: two count.
        client
            .discovery()
            .v1()
            .endpointSlices()
            .resource(
                slice(
                    "default",
                    "web",
                    80,
                    8080,
                    "10.42.0.5",
                    "10.42.0.6",
                    "10.42.0.7?",
                    "10.42.1.5@node-b"))
            .create();
        HttpResponse<String> two =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(port, "/any/path"), r -> r.statusCode() == 200);
        JsonNode body = JSON.readTree(two.body());
        assertEquals(2, body.path("localEndpoints").asInt());
        assertEquals("web", body.path("service").path("name").asText());
        assertEquals("application/json", two.headers().firstValue("Content-Type").orElse(""));

        HttpResponse<String> healthz = get(proxy.healthzPort(), "/healthz");
        assertEquals(200, healthz.statusCode(), healthz.body());
        assertTrue(JSON.readTree(healthz.body()).path("nodeEligible").asBoolean(), healthz.body());
        assertEquals(200, get(proxy.healthzPort(), "/livez").statusCode());

        // The autoscaler marks the node for deletion: not eligible, so checks fail; livez holds.
        client
            .nodes()
            .withName(NODE)
            .edit(
                n -> {
                  n.getSpec()
                      .setTaints(
                          List.of(
                              new Taint(
                                  "NoSchedule", "ToBeDeletedByClusterAutoscaler", null, "1")));
                  return n;
                });
        HttpResponse<String> ineligible =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> get(proxy.healthzPort(), "/healthz"), r -> r.statusCode() == 503);
        assertFalse(JSON.readTree(ineligible.body()).path("nodeEligible").asBoolean());
        assertEquals(503, get(port, "/").statusCode());
        assertEquals(200, get(proxy.healthzPort(), "/livez").statusCode());

        // Cluster policy: the port is released and no longer served.
        client
            .services()
            .inNamespace("default")
            .withName("web")
            .edit(
                s -> {
                  s.getSpec().setExternalTrafficPolicy("Cluster");
                  return s;
                });
        await().atMost(Duration.ofSeconds(30)).until(() -> refused(port));
      } finally {
        proxy.close();
      }
      assertTrue(refused(proxy.healthzPort()));
    }
  }

  private boolean refused(int port) throws Exception {
    try {
      get(port, "/");
      return false;
    } catch (ConnectException e) {
      return true;
    } catch (IOException e) {
      return e.getCause() instanceof ConnectException;
    }
  }
}
