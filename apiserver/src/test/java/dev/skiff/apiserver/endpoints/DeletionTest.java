package dev.skiff.apiserver.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** delete: finalizers, preconditions, propagation, graceful pods, collections, namespaces. */
class DeletionTest {
  private static TestServer s;
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String PODS = "/api/v1/namespaces/default/pods";

  @BeforeAll
  static void start() {
    s = new TestServer();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void deleteReturnsSuccessStatus() {
    s.post(CMS, "{\"metadata\":{\"name\":\"gone\"}}");
    var r = s.delete(CMS + "/gone");
    assertEquals(200, r.code());
    assertEquals("Success", r.json().path("status").asText());
    assertEquals("gone", r.json().path("details").path("name").asText());
    assertEquals(404, s.get(CMS + "/gone").code());
    assertEquals(404, s.delete(CMS + "/gone").code());
  }

  @Test
  void finalizersHoldTheObjectUntilRemoved() {
    s.post(CMS, "{\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/hold\"]}}");
    var r = s.delete(CMS + "/fin");
    assertEquals(200, r.code());
    assertTrue(r.json().path("metadata").has("deletionTimestamp"), r.body());
    var held = s.get(CMS + "/fin");
    assertEquals(200, held.code());
    assertTrue(held.json().path("metadata").has("deletionTimestamp"));
    s.patch(CMS + "/fin", "merge-patch", "{\"metadata\":{\"finalizers\":null}}");
    assertEquals(404, s.get(CMS + "/fin").code());
  }

  @Test
  void preconditionsMustMatch() {
    var c = s.post(CMS, "{\"metadata\":{\"name\":\"pre\"}}");
    var wrongUid =
        s.send(
            "DELETE",
            CMS + "/pre",
            "{\"preconditions\":{\"uid\":\"other\"}}",
            "application/json",
            null);
    assertEquals(409, wrongUid.code());
    assertTrue(
        wrongUid.message().contains("Precondition failed: UID in precondition: other"),
        wrongUid.message());
    String rv = c.json().path("metadata").path("resourceVersion").asText();
    var ok =
        s.send(
            "DELETE",
            CMS + "/pre",
            "{\"preconditions\":{\"resourceVersion\":\"" + rv + "\"}}",
            "application/json",
            null);
    assertEquals(200, ok.code(), ok.body());
  }

  @Test
  void propagationPoliciesSetGarbageCollectorFinalizers() {
    s.post(CMS, "{\"metadata\":{\"name\":\"orph\"}}");
    var o =
        s.send(
            "DELETE",
            CMS + "/orph",
            "{\"propagationPolicy\":\"Orphan\"}",
            "application/json",
            null);
    assertEquals("[\"orphan\"]", o.json().path("metadata").path("finalizers").toString());
    s.post(CMS, "{\"metadata\":{\"name\":\"fg\"}}");
    var f = s.send("DELETE", CMS + "/fg?propagationPolicy=Foreground", null, null, null);
    assertEquals(
        "[\"foregroundDeletion\"]", f.json().path("metadata").path("finalizers").toString());
    var bad = s.send("DELETE", CMS + "/fg?propagationPolicy=Sideways", null, null, null);
    assertEquals(400, bad.code());
  }

  @Test
  void boundPodsAreDeletedGracefully() {
    s.post(
        PODS,
        "{\"metadata\":{\"name\":\"unbound\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    var u = s.delete(PODS + "/unbound");
    assertEquals(200, u.code());
    assertEquals(404, s.get(PODS + "/unbound").code(), "a pod on no node goes at once");
    s.post(
        PODS,
        "{\"metadata\":{\"name\":\"bound\"},\"spec\":{\"nodeName\":\"n1\",\"terminationGracePeriodSeconds\":20,\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}");
    var g = s.delete(PODS + "/bound");
    assertEquals(200, g.code());
    var pod = s.get(PODS + "/bound").json();
    assertEquals(20, pod.path("metadata").path("deletionGracePeriodSeconds").asInt());
    assertTrue(pod.path("metadata").has("deletionTimestamp"));
    var now = s.send("DELETE", PODS + "/bound?gracePeriodSeconds=0", null, null, null);
    assertEquals(200, now.code());
    assertEquals(404, s.get(PODS + "/bound").code(), "the kubelet's grace 0 removes it");
  }

  @Test
  void deleteCollectionHonoursSelectors() {
    s.post(CMS, "{\"metadata\":{\"name\":\"dc1\",\"labels\":{\"batch\":\"x\"}}}");
    s.post(CMS, "{\"metadata\":{\"name\":\"dc2\",\"labels\":{\"batch\":\"x\"}}}");
    s.post(CMS, "{\"metadata\":{\"name\":\"dc3\",\"labels\":{\"batch\":\"y\"}}}");
    var r = s.send("DELETE", CMS + "?labelSelector=batch%3Dx", null, null, null);
    assertEquals(200, r.code(), r.body());
    assertEquals(2, r.json().path("items").size());
    assertEquals(404, s.get(CMS + "/dc1").code());
    assertEquals(200, s.get(CMS + "/dc3").code());
  }

  @Test
  void aDeletedNamespaceWaitsForItsContentFinalizerAndGoesOnFinalize() {
    assertEquals(201, s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"doomed\"}}").code());
    s.post("/api/v1/namespaces/doomed/configmaps", "{\"metadata\":{\"name\":\"a\"}}");
    var d = s.delete("/api/v1/namespaces/doomed");
    assertEquals(200, d.code());
    assertEquals("Terminating", d.json().path("status").path("phase").asText());
    assertEquals("kubernetes", d.json().path("spec").path("finalizers").path(0).asText());
    var refused =
        s.post("/api/v1/namespaces/doomed/configmaps", "{\"metadata\":{\"name\":\"late\"}}");
    assertEquals(403, refused.code());
    assertTrue(refused.message().contains("because it is being terminated"), refused.message());

    // Emptying is the namespace controller's work; the API server alone leaves content alone.
    assertEquals(200, s.get("/api/v1/namespaces/doomed/configmaps/a").code());
    var status =
        s.put(
            "/api/v1/namespaces/doomed/status",
            "{\"metadata\":{\"name\":\"doomed\"},\"status\":{\"phase\":\"Terminating\"}}");
    assertEquals(200, status.code(), status.body());
    assertEquals(200, s.get("/api/v1/namespaces/doomed").code(), "waits for spec.finalizers");

    var finalized =
        s.put(
            "/api/v1/namespaces/doomed/finalize",
            "{\"metadata\":{\"name\":\"doomed\"},\"spec\":{\"finalizers\":[]},"
                + "\"status\":{\"phase\":\"Active\"}}");
    assertEquals(200, finalized.code(), finalized.body());
    assertEquals(404, s.get("/api/v1/namespaces/doomed").code());
  }

  @Test
  void finalizeChangesOnlyTheContentFinalizers() {
    s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"kept\"}}");
    var r =
        s.put(
            "/api/v1/namespaces/kept/finalize",
            "{\"metadata\":{\"name\":\"kept\",\"labels\":{\"x\":\"y\"}},"
                + "\"spec\":{\"finalizers\":[\"example.com/other\"]}}");
    assertEquals(200, r.code(), r.body());
    var ns = s.get("/api/v1/namespaces/kept").json();
    assertEquals("example.com/other", ns.path("spec").path("finalizers").path(0).asText());
    assertFalse(ns.path("metadata").path("labels").has("x"), "only the finalizers change");
    assertEquals("Active", ns.path("status").path("phase").asText());
  }
}
