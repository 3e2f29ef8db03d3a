package dev.skiff.apiserver.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.MemoryStore;
import dev.skiff.apiserver.testing.TestServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** ClusterIPs and NodePorts as a user of the real API server sees them. */
class ServiceAllocationTest extends ServiceServerTest {
  private static String ports(String nodePort) {
    return "\"ports\":[{\"port\":80" + (nodePort == null ? "" : ",\"nodePort\":" + nodePort) + "}]";
  }

  @Test
  void fiftyConcurrentCreatesGetFiftyDistinctIps() throws Exception {
    List<Future<TestServer.Reply>> replies = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
      for (int i = 0; i < 50; i++) {
        String name = "svc-" + i;
        replies.add(pool.submit(() -> s.post(SVCS, service(name, ports(null)))));
      }
    }
    Set<String> ips = new HashSet<>();
    for (Future<TestServer.Reply> f : replies) {
      TestServer.Reply r = f.get();
      assertEquals(201, r.code(), r.body());
      JsonNode spec = r.json().path("spec");
      String ip = spec.path("clusterIP").asText();
      assertTrue(ip.startsWith("10.43."), ip);
      assertNotEquals("10.43.0.1", ip);
      assertEquals(ip, spec.path("clusterIPs").path(0).asText());
      assertEquals("IPv4", spec.path("ipFamilies").path(0).asText());
      assertEquals("SingleStack", spec.path("ipFamilyPolicy").asText());
      ips.add(ip);
    }
    assertEquals(50, ips.size());
    String stored =
        new String(s.store().get(ServiceAllocations.SERVICE_IPS_KEY).orElseThrow().value());
    assertTrue(stored.contains("\"range\":\"10.43.0.0/16\""), stored);
  }

  @Test
  void aChosenIpIsHonouredOnceAndThenRefused() {
    TestServer.Reply first =
        s.post(SVCS, service("a", "\"clusterIP\":\"10.43.0.5\"," + ports(null)));
    assertEquals(201, first.code(), first.body());
    assertEquals("10.43.0.5", first.json().path("spec").path("clusterIP").asText());
    TestServer.Reply second =
        s.post(SVCS, service("b", "\"clusterIP\":\"10.43.0.5\"," + ports(null)));
    assertEquals(422, second.code());
    assertEquals(
        "Service \"b\" is invalid: spec.clusterIPs: Invalid value: []string{\"10.43.0.5\"}:"
            + " failed to allocate IP 10.43.0.5: provided IP is already allocated",
        second.message());
    TestServer.Reply outside =
        s.post(SVCS, service("c", "\"clusterIP\":\"10.0.0.5\"," + ports(null)));
    assertEquals(422, outside.code());
    assertTrue(
        outside.message().endsWith("The range of valid IPs is 10.43.0.0/16"), outside.message());
  }

  @Test
  void theKubernetesServiceIpIsNeverHandedOut() {
    TestServer.Reply r = s.post(SVCS, service("a", "\"clusterIP\":\"10.43.0.1\"," + ports(null)));
    assertEquals(422, r.code());
    assertTrue(r.message().contains("provided IP is already allocated"), r.message());
  }

  @Test
  void deleteReleasesTheIpAndPorts() {
    String spec = "\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.7\"," + ports("30080");
    assertEquals(201, s.post(SVCS, service("a", spec)).code());
    assertEquals(200, s.delete(SVCS + "/a").code());
    TestServer.Reply again = s.post(SVCS, service("b", spec));
    assertEquals(201, again.code(), again.body());
  }

  @Test
  void aFailedCreateReleasesWhatItTook() {
    // Port 0 fails validation after the IP and NodePort were taken.
    String bad =
        "\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.8\",\"ports\":[{\"port\":0,\"nodePort\":30081}]";
    assertEquals(422, s.post(SVCS, service("a", bad)).code());
    String good = "\"type\":\"NodePort\",\"clusterIP\":\"10.43.0.8\"," + ports("30081");
    TestServer.Reply r = s.post(SVCS, service("a", good));
    assertEquals(201, r.code(), r.body());
  }

  @Test
  void dryRunTakesNothing() {
    String spec = "\"clusterIP\":\"10.43.0.9\"," + ports(null);
    TestServer.Reply dry = s.post(SVCS + "?dryRun=All", service("a", spec));
    assertEquals(201, dry.code(), dry.body());
    assertEquals(201, s.post(SVCS, service("a", spec)).code());
  }

  @Test
  void headlessAndExternalNameGetNoIp() {
    TestServer.Reply headless = s.post(SVCS, service("h", "\"clusterIP\":\"None\"," + ports(null)));
    assertEquals(201, headless.code(), headless.body());
    assertEquals("None", headless.json().path("spec").path("clusterIP").asText());
    TestServer.Reply external =
        s.post(
            SVCS,
            "{\"metadata\":{\"name\":\"e\"},\"spec\":{\"type\":\"ExternalName\","
                + "\"externalName\":\"example.com\"}}");
    assertEquals(201, external.code(), external.body());
    assertFalse(external.json().path("spec").has("clusterIP"), external.body());
  }

  @Test
  void nodePortsComeFromTheRangeAndChosenOnesAreRefusedWhenTaken() {
    TestServer.Reply auto = s.post(SVCS, service("a", "\"type\":\"NodePort\"," + ports(null)));
    assertEquals(201, auto.code(), auto.body());
    int port = auto.json().path("spec").path("ports").path(0).path("nodePort").asInt();
    assertTrue(port >= 30000 && port <= 32767, "nodePort " + port);
    // 30050 lies in the band below 30086 that random allocation leaves to users while 30086-32767
    // has room, so service a cannot have been given it.
    assertEquals(201, s.post(SVCS, service("b", "\"type\":\"NodePort\"," + ports("30050"))).code());
    TestServer.Reply taken = s.post(SVCS, service("c", "\"type\":\"NodePort\"," + ports("30050")));
    assertEquals(422, taken.code());
    assertEquals(
        "Service \"c\" is invalid: spec.ports[0].nodePort: Invalid value: 30050:"
            + " provided port is already allocated",
        taken.message());
    TestServer.Reply lb = s.post(SVCS, service("lb", "\"type\":\"LoadBalancer\"," + ports(null)));
    assertEquals(201, lb.code(), lb.body());
    assertTrue(lb.json().path("spec").path("ports").path(0).path("nodePort").asInt() >= 30000);
  }

  @Test
  void typeChangesAllocateAndReleaseNodePorts() {
    assertEquals(201, s.post(SVCS, service("a", ports(null))).code());
    TestServer.Reply toNodePort =
        s.patch(SVCS + "/a", "merge-patch", "{\"spec\":{\"type\":\"NodePort\"}}");
    assertEquals(200, toNodePort.code(), toNodePort.body());
    int port = toNodePort.json().path("spec").path("ports").path(0).path("nodePort").asInt();
    assertTrue(port >= 30000, toNodePort.body());
    TestServer.Reply back =
        s.patch(
            SVCS + "/a",
            "json-patch",
            "[{\"op\":\"replace\",\"path\":\"/spec/type\",\"value\":\"ClusterIP\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/ports/0/nodePort\"},"
                + "{\"op\":\"remove\",\"path\":\"/spec/externalTrafficPolicy\"}]");
    assertEquals(200, back.code(), back.body());
    TestServer.Reply reuse =
        s.post(SVCS, service("b", "\"type\":\"NodePort\"," + ports(Integer.toString(port))));
    assertEquals(201, reuse.code(), reuse.body());
  }

  @Test
  void aRestartedServerKeepsAllocationsAndReleasesLeaks() {
    MemoryStore store = new MemoryStore();
    String ip;
    try (ApiServer first = server(store)) {
      TestServer.Reply r = post(first, service("a", ports(null)));
      ip = r.json().path("spec").path("clusterIP").asText();
      assertEquals(201, r.code(), r.body());
    }
    try (ApiServer second = server(store)) {
      TestServer.Reply again =
          post(second, service("b", "\"clusterIP\":\"" + ip + "\"," + ports(null)));
      assertEquals(422, again.code(), again.body());
      ServiceAllocations view = new ServiceAllocations(store, "10.43.0.0/16", "30000-32767");
      assertTrue(view.hasIp(ip));
      assertTrue(view.hasIp("10.43.0.1"));
    }
  }

  private static ApiServer server(MemoryStore store) {
    ApiServer server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    return server;
  }

  private static TestServer.Reply post(ApiServer server, String body) {
    try {
      var http = java.net.http.HttpClient.newHttpClient();
      var req =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create("http://127.0.0.1:" + server.port() + SVCS))
              .header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
              .build();
      var resp = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      return new TestServer.Reply(
          resp.statusCode(), TestServer.JSON.readTree(resp.body()), resp.body(), resp);
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
