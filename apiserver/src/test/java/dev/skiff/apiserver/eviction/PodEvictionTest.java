package dev.skiff.apiserver.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pods/eviction against a real API server, with budget statuses as the controller writes them. */
class PodEvictionTest {
  private static TestServer server;
  private static int namespaces;
  private String ns;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private void namespace() {
    ns = "evict-" + ++namespaces;
    server.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + ns + "\"}}");
  }

  /** A pod bound to nowhere, so that a delete removes it at once, in phase {@code phase}. */
  private void pod(String name, String phase, boolean ready) {
    var created =
        server.post(
            "/api/v1/namespaces/" + ns + "/pods",
            """
            {"metadata":{"name":"%s","labels":{"app":"web"}},
             "spec":{"containers":[{"name":"c","image":"busybox"}]}}"""
                .formatted(name));
    assertEquals(201, created.code(), created.body());
    var status =
        server.patch(
            "/api/v1/namespaces/" + ns + "/pods/" + name + "/status",
            "merge-patch",
            """
            {"status":{"phase":"%s","conditions":[{"type":"Ready","status":"%s"}]}}"""
                .formatted(phase, ready ? "True" : "False"));
    assertEquals(200, status.code(), status.body());
  }

  /** A budget over app=web whose status says {@code allowed} disruptions, observed. */
  private void budget(String name, int allowed, int healthy, int desired) {
    var created =
        server.post(
            "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets",
            """
            {"metadata":{"name":"%s"},
             "spec":{"minAvailable":%d,"selector":{"matchLabels":{"app":"web"}}}}"""
                .formatted(name, desired));
    assertEquals(201, created.code(), created.body());
    var status =
        server.patch(
            "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets/" + name + "/status",
            "merge-patch",
            """
            {"status":{"observedGeneration":1,"disruptionsAllowed":%d,"currentHealthy":%d,
             "desiredHealthy":%d,"expectedPods":%d}}"""
                .formatted(allowed, healthy, desired, healthy));
    assertEquals(200, status.code(), status.body());
  }

  private TestServer.Reply evict(String pod) {
    return server.post(
        "/api/v1/namespaces/" + ns + "/pods/" + pod + "/eviction",
        """
        {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"%s","namespace":"%s"}}"""
            .formatted(pod, ns));
  }

  private boolean exists(String pod) {
    return server.get("/api/v1/namespaces/" + ns + "/pods/" + pod).code() == 200;
  }

  private JsonNode budgetStatus(String name) {
    return server
        .get("/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets/" + name)
        .json()
        .path("status");
  }

  @Test
  void withoutABudgetTheEvictionDeletesThePod() {
    namespace();
    pod("a", "Running", true);
    var r = evict("a");
    assertEquals(201, r.code(), r.body());
    assertEquals("Success", r.json().path("status").asText());
    assertTrue(!exists("a"));
    assertEquals(404, evict("a").code());
  }

  @Test
  void theLastAllowedDisruptionIsTakenOnceThenEvictionsAreRefusedWith429() {
    namespace();
    pod("a", "Running", true);
    pod("b", "Running", true);
    budget("web", 1, 2, 1);

    assertEquals(201, evict("a").code());
    assertTrue(!exists("a"));
    JsonNode status = budgetStatus("web");
    assertEquals(0, status.path("disruptionsAllowed").asInt());
    assertTrue(status.path("disruptedPods").has("a"), status.toString());

    var refused = evict("b");
    assertEquals(429, refused.code(), refused.body());
    assertEquals("TooManyRequests", refused.reason());
    assertEquals(
        "Cannot evict pod as it would violate the pod's disruption budget.", refused.message());
    JsonNode cause = refused.json().path("details").path("causes").get(0);
    assertEquals("DisruptionBudget", cause.path("reason").asText());
    assertEquals(
        "The disruption budget web needs 1 healthy pods and has 2 currently",
        cause.path("message").asText());
    assertTrue(exists("b"));
  }

  @Test
  void concurrentEvictionsNeverTakeMoreDisruptionsThanAllowed() throws Exception {
    namespace();
    List<String> pods = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      pods.add("p" + i);
      pod("p" + i, "Running", true);
    }
    budget("web", 2, 8, 6);
    List<Future<Integer>> codes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
      for (String p : pods) {
        codes.add(pool.submit((Callable<Integer>) () -> evict(p).code()));
      }
    }
    int evicted = 0;
    for (Future<Integer> f : codes) {
      int code = f.get();
      assertTrue(code == 201 || code == 429, "unexpected " + code);
      evicted += code == 201 ? 1 : 0;
    }
    assertEquals(2, evicted);
    assertEquals(6, pods.stream().filter(this::exists).count());
    assertEquals(2, budgetStatus("web").path("disruptedPods").size());
  }

  @Test
  void pendingPodsAndUnreadyPodsOfAHealthyBudgetGoWithoutTakingADisruption() {
    namespace();
    pod("pending", "Pending", false);
    pod("unready", "Running", false);
    pod("ready", "Running", true);
    budget("web", 0, 1, 1);

    assertEquals(201, evict("pending").code());
    assertEquals(201, evict("unready").code());
    assertEquals(429, evict("ready").code());
    assertEquals(0, budgetStatus("web").path("disruptionsAllowed").asInt());
    assertTrue(budgetStatus("web").path("disruptedPods").isMissingNode());
  }

  @Test
  void aBudgetNotYetObservedAsksToRetryAndTwoBudgetsAreAnError() {
    namespace();
    pod("a", "Running", true);
    server.post(
        "/apis/policy/v1/namespaces/" + ns + "/poddisruptionbudgets",
        "{\"metadata\":{\"name\":\"fresh\"},"
            + "\"spec\":{\"maxUnavailable\":1,\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}");
    var unobserved = evict("a");
    assertEquals(429, unobserved.code());
    assertEquals(10, unobserved.json().path("details").path("retryAfterSeconds").asInt());
    assertEquals("10", unobserved.header("Retry-After"));
    assertEquals(
        "The disruption budget fresh is still being processed by the server.",
        unobserved.json().path("details").path("causes").get(0).path("message").asText());

    budget("second", 1, 1, 0);
    var two = evict("a");
    assertEquals(500, two.code());
    assertEquals(
        "Internal error occurred: This pod has more than one PodDisruptionBudget, which the"
            + " eviction subresource does not support.",
        two.message());
    assertTrue(exists("a"));
  }

  @Test
  void dryRunChecksTheBudgetButChangesNothing() {
    namespace();
    pod("a", "Running", true);
    budget("web", 1, 1, 0);
    var r =
        server.post(
            "/api/v1/namespaces/" + ns + "/pods/a/eviction",
            "{\"apiVersion\":\"policy/v1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"a\"},"
                + "\"deleteOptions\":{\"dryRun\":[\"All\"]}}");
    assertEquals(201, r.code(), r.body());
    assertTrue(exists("a"));
    assertEquals(1, budgetStatus("web").path("disruptionsAllowed").asInt());
  }

  @Test
  void theEvictionMustNameThePodOfTheUrl() {
    namespace();
    pod("a", "Running", true);
    var r =
        server.post(
            "/api/v1/namespaces/" + ns + "/pods/a/eviction",
            "{\"apiVersion\":\"policy/v1beta1\",\"kind\":\"Eviction\",\"metadata\":{\"name\":\"b\"}}");
    assertEquals(400, r.code());
    assertEquals("name in URL does not match name in Eviction object", r.message());
    assertTrue(exists("a"));
  }
}
