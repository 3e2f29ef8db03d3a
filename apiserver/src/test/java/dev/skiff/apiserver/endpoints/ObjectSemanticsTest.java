package dev.skiff.apiserver.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** create, update, patch and the subresources: what the server owns in every object. */
class ObjectSemanticsTest {
  private static TestServer s;
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";

  @BeforeAll
  static void start() {
    s = new TestServer();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  static String deployment(String name, int replicas, String image) {
    return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"replicas\":"
        + replicas
        + ",\"selector\":{\"matchLabels\":{\"app\":\""
        + name
        + "\"}},\"template\":{\"metadata\":"
        + "{\"labels\":{\"app\":\""
        + name
        + "\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
        + "\"image\":\""
        + image
        + "\"}]}}}}";
  }

  @Test
  void createFillsServerOwnedMetadata() {
    var r = s.post(CMS, "{\"metadata\":{\"generateName\":\"gen-\",\"uid\":\"mine\"}}");
    assertEquals(201, r.code(), r.body());
    var m = r.json().path("metadata");
    assertTrue(m.path("name").asText().matches("gen-[a-z0-9]{5}"), m.toString());
    assertNotEquals("mine", m.path("uid").asText());
    assertEquals(36, m.path("uid").asText().length());
    assertTrue(m.path("creationTimestamp").asText().endsWith("Z"));
    assertEquals(s.store().currentRevision(), Long.parseLong(m.path("resourceVersion").asText()));
    assertEquals("v1", r.json().path("apiVersion").asText());
    assertEquals("ConfigMap", r.json().path("kind").asText());
  }

  @Test
  void createNeedsALiveNamespace() {
    var r = s.post("/api/v1/namespaces/ghost/configmaps", "{\"metadata\":{\"name\":\"a\"}}");
    assertEquals(404, r.code());
    assertEquals("namespaces \"ghost\" not found", r.message());
  }

  @Test
  void generationFollowsSpecChangesOnly() {
    var c = s.post(DEPLOYS, deployment("gen", 1, "img:1"));
    assertEquals(201, c.code(), c.body());
    assertEquals(1, c.json().path("metadata").path("generation").asInt());
    var labelOnly =
        s.patch(DEPLOYS + "/gen", "merge-patch", "{\"metadata\":{\"labels\":{\"x\":\"y\"}}}");
    assertEquals(200, labelOnly.code(), labelOnly.body());
    assertEquals(1, labelOnly.json().path("metadata").path("generation").asInt());
    var spec = s.patch(DEPLOYS + "/gen", "merge-patch", "{\"spec\":{\"replicas\":4}}");
    assertEquals(2, spec.json().path("metadata").path("generation").asInt());
    var same = s.patch(DEPLOYS + "/gen", "merge-patch", "{\"spec\":{\"replicas\":4}}");
    assertEquals(
        spec.json().path("metadata").path("resourceVersion").asText(),
        same.json().path("metadata").path("resourceVersion").asText(),
        "a no-op write changes nothing");
  }

  @Test
  void statusAndSpecAreWrittenSeparately() {
    s.post(DEPLOYS, deployment("st", 2, "img:1"));
    var withStatus =
        s.patch(
            DEPLOYS + "/st",
            "merge-patch",
            "{\"status\":{\"replicas\":7},\"spec\":{\"replicas\":3}}");
    assertEquals(3, withStatus.json().path("spec").path("replicas").asInt());
    assertFalse(withStatus.json().path("status").has("replicas"), "main resource ignores status");
    var status =
        s.patch(
            DEPLOYS + "/st/status",
            "merge-patch",
            "{\"status\":{\"replicas\":7},\"spec\":{\"replicas\":9}}");
    assertEquals(200, status.code(), status.body());
    assertEquals(7, status.json().path("status").path("replicas").asInt());
    assertEquals(3, status.json().path("spec").path("replicas").asInt(), "status ignores spec");
    assertEquals(7, s.get(DEPLOYS + "/st/status").json().path("status").path("replicas").asInt());
  }

  @Test
  void scaleSubresource() {
    s.post(DEPLOYS, deployment("sc", 2, "img:1"));
    var scale = s.get(DEPLOYS + "/sc/scale");
    assertEquals("Scale", scale.json().path("kind").asText());
    assertEquals("autoscaling/v1", scale.json().path("apiVersion").asText());
    assertEquals(2, scale.json().path("spec").path("replicas").asInt());
    assertEquals("app=sc", scale.json().path("status").path("selector").asText());
    var put =
        s.put(
            DEPLOYS + "/sc/scale",
            "{\"apiVersion\":\"autoscaling/v1\",\"kind\":\"Scale\",\"metadata\":{\"name\":\"sc\"},\"spec\":{\"replicas\":5}}");
    assertEquals(200, put.code(), put.body());
    assertEquals(5, put.json().path("spec").path("replicas").asInt());
    var patch = s.patch(DEPLOYS + "/sc/scale", "merge-patch", "{\"spec\":{\"replicas\":1}}");
    assertEquals(1, patch.json().path("spec").path("replicas").asInt());
    assertEquals(1, s.get(DEPLOYS + "/sc").json().path("spec").path("replicas").asInt());
  }

  @Test
  void threePatchTypes() {
    s.post(CMS, "{\"metadata\":{\"name\":\"p\"},\"data\":{\"a\":\"1\"}}");
    s.patch(CMS + "/p", "merge-patch", "{\"data\":{\"b\":\"2\",\"a\":null}}");
    s.patch(CMS + "/p", "json-patch", "[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"}]");
    s.patch(CMS + "/p", "strategic-merge-patch", "{\"data\":{\"d\":\"4\"}}");
    assertEquals(
        "{\"b\":\"2\",\"c\":\"3\",\"d\":\"4\"}", s.get(CMS + "/p").json().path("data").toString());
    var failed =
        s.patch(
            CMS + "/p", "json-patch", "[{\"op\":\"test\",\"path\":\"/data/b\",\"value\":\"9\"}]");
    assertTrue(failed.code() == 422 || failed.code() == 400, failed.body());
    var badDoc = s.patch(CMS + "/p", "json-patch", "{\"op\":\"add\"}");
    assertEquals(400, badDoc.code());
    assertEquals(404, s.patch(CMS + "/missing", "merge-patch", "{}").code());
  }

  @Test
  void concurrentPatchesAllLandWhileAStaleUpdateIsAConflict() throws Exception {
    s.post(CMS, "{\"metadata\":{\"name\":\"busy\"},\"data\":{}}");
    String stale = s.get(CMS + "/busy").body();
    int writers = 8;
    int each = 10;
    var pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      var codes = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
      for (int w = 0; w < writers; w++) {
        for (int i = 0; i < each; i++) {
          String key = "k" + w + "-" + i;
          codes.add(
              pool.submit(
                  () ->
                      s.patch(CMS + "/busy", "merge-patch", "{\"data\":{\"" + key + "\":\"v\"}}")
                          .code()));
        }
      }
      for (var code : codes) {
        assertEquals(200, code.get());
      }
    } finally {
      pool.shutdown();
    }
    assertEquals(writers * each, s.get(CMS + "/busy").json().path("data").size());
    assertEquals(409, s.put(CMS + "/busy", stale).code());
  }

  @Test
  void dryRunWritesNothing() {
    var r =
        s.send(
            "POST",
            CMS + "?dryRun=All",
            "{\"metadata\":{\"name\":\"dry\"}}",
            "application/json",
            null);
    assertEquals(201, r.code(), r.body());
    assertEquals(404, s.get(CMS + "/dry").code());
    s.post(CMS, "{\"metadata\":{\"name\":\"dry2\"},\"data\":{\"a\":\"1\"}}");
    s.send(
        "PATCH",
        CMS + "/dry2?dryRun=All",
        "{\"data\":{\"a\":\"2\"}}",
        "application/merge-patch+json",
        null);
    assertEquals("1", s.get(CMS + "/dry2").json().path("data").path("a").asText());
    s.send("DELETE", CMS + "/dry2?dryRun=All", null, null, null);
    assertEquals(200, s.get(CMS + "/dry2").code());
  }

  @Test
  void fieldValidationModes() {
    String body = "{\"metadata\":{\"name\":\"fv\"},\"bogus\":1}";
    var strict = s.send("POST", CMS + "?fieldValidation=Strict", body, "application/json", null);
    assertEquals(400, strict.code());
    assertTrue(strict.message().contains("unknown field \"bogus\""), strict.message());
    var warn = s.send("POST", CMS + "?fieldValidation=Warn", body, "application/json", null);
    assertEquals(201, warn.code());
    assertTrue(
        warn.header("Warning").contains("unknown field \\\"bogus\\\""), warn.header("Warning"));
  }

  @Test
  void createOnUpdateOnlyWhereUpstreamAllows() {
    var cm = s.put(CMS + "/nope", "{\"metadata\":{\"name\":\"nope\"}}");
    assertEquals(404, cm.code());
    var lease =
        s.put(
            "/apis/coordination.k8s.io/v1/namespaces/default/leases/l1",
            "{\"metadata\":{\"name\":\"l1\"},\"spec\":{}}");
    assertEquals(201, lease.code(), lease.body());
  }

  @Test
  void yamlBodies() {
    var r = s.send("POST", CMS, "metadata:\n  name: y\ndata:\n  k: v\n", "application/yaml", null);
    assertEquals(201, r.code(), r.body());
    assertEquals("v", s.get(CMS + "/y").json().path("data").path("k").asText());
    var yamlOut = s.send("GET", CMS + "/y", null, null, "application/yaml");
    assertTrue(
        yamlOut.body().contains("name: \"y\"") || yamlOut.body().contains("name: y"),
        yamlOut.body());
  }

  @Test
  void podBindingSetsTheNode() {
    String pods = "/api/v1/namespaces/default/pods";
    var p =
        s.post(
            pods,
            "{\"metadata\":{\"name\":\"b\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    assertEquals(201, p.code(), p.body());
    var bind =
        s.post(
            pods + "/b/binding",
            "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"b\"},\"target\":{\"kind\":\"Node\",\"name\":\"n1\"}}");
    assertEquals(201, bind.code(), bind.body());
    var pod = s.get(pods + "/b").json();
    assertEquals("n1", pod.path("spec").path("nodeName").asText());
    assertEquals(
        "PodScheduled", pod.path("status").path("conditions").get(0).path("type").asText());
    var again =
        s.post(pods + "/b/binding", "{\"metadata\":{\"name\":\"b\"},\"target\":{\"name\":\"n2\"}}");
    assertEquals(409, again.code());
  }
}
