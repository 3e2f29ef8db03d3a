package dev.skiff.apiserver.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every failure is a metav1.Status with upstream's code, reason and wording. */
class StatusErrorsTest {
  private static TestServer s;
  private static final String CMS = "/api/v1/namespaces/default/configmaps";

  @BeforeAll
  static void start() {
    s = new TestServer();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @Test
  void versionAndHealth() {
    var v = s.get("/version");
    assertEquals("1", v.json().path("major").asText());
    assertEquals("32", v.json().path("minor").asText());
    assertEquals("v1.32.0-skiff", v.json().path("gitVersion").asText());
    for (String p : new String[] {"/healthz", "/livez", "/readyz"}) {
      var h = s.send("GET", p, null, null, null);
      assertEquals(200, h.code());
      assertEquals("ok", h.body());
    }
  }

  @Test
  void notFoundNamesTheResource() {
    var r = s.get(CMS + "/x");
    assertEquals(404, r.code());
    assertEquals("Status", r.json().path("kind").asText());
    assertEquals("Failure", r.json().path("status").asText());
    assertEquals("NotFound", r.reason());
    assertEquals("configmaps \"x\" not found", r.message());
    assertEquals("x", r.json().path("details").path("name").asText());
    assertEquals("configmaps", r.json().path("details").path("kind").asText());
    var d = s.get("/apis/apps/v1/namespaces/default/deployments/nope");
    assertEquals("deployments.apps \"nope\" not found", d.message());
    assertEquals(404, s.get("/api/v1/nothings").code());
    assertEquals(404, s.get("/apis/nogroup/v1/things").code());
  }

  @Test
  void alreadyExistsAndInvalid() {
    assertEquals(201, s.post(CMS, "{\"metadata\":{\"name\":\"dup\"}}").code());
    var r = s.post(CMS, "{\"metadata\":{\"name\":\"dup\"}}");
    assertEquals(409, r.code());
    assertEquals("AlreadyExists", r.reason());
    assertEquals("configmaps \"dup\" already exists", r.message());
    var bad = s.post(CMS, "{\"metadata\":{\"name\":\"Bad_Name\"}}");
    assertEquals(422, bad.code());
    assertEquals("Invalid", bad.reason());
    assertTrue(
        bad.message().startsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value"),
        bad.message());
    var cause = bad.json().path("details").path("causes").get(0);
    assertEquals("FieldValueInvalid", cause.path("reason").asText());
    assertEquals("metadata.name", cause.path("field").asText());
    assertEquals("ConfigMap", bad.json().path("details").path("kind").asText());
    var noName = s.post(CMS, "{\"data\":{}}");
    assertEquals(422, noName.code());
    assertTrue(noName.message().contains("name or generateName is required"), noName.message());
  }

  @Test
  void staleUpdateIsAConflict() {
    var c = s.post(CMS, "{\"metadata\":{\"name\":\"cas\"},\"data\":{\"a\":\"1\"}}");
    String rv = c.json().path("metadata").path("resourceVersion").asText();
    var u1 =
        s.put(
            CMS + "/cas",
            "{\"metadata\":{\"name\":\"cas\",\"resourceVersion\":\""
                + rv
                + "\"},\"data\":{\"a\":\"2\"}}");
    assertEquals(200, u1.code(), u1.body());
    var u2 =
        s.put(
            CMS + "/cas",
            "{\"metadata\":{\"name\":\"cas\",\"resourceVersion\":\""
                + rv
                + "\"},\"data\":{\"a\":\"3\"}}");
    assertEquals(409, u2.code());
    assertEquals("Conflict", u2.reason());
    assertEquals(
        "Operation cannot be fulfilled on configmaps \"cas\": the object has been modified; please"
            + " apply your changes to the latest version and try again",
        u2.message());
    assertEquals("2", s.get(CMS + "/cas").json().path("data").path("a").asText());
  }

  @Test
  void badRequests() {
    var mismatch = s.post(CMS, "{\"metadata\":{\"name\":\"m\",\"namespace\":\"kube-system\"}}");
    assertEquals(400, mismatch.code());
    assertEquals("BadRequest", mismatch.reason());
    assertEquals(
        "the namespace of the provided object does not match the namespace sent on the request",
        mismatch.message());
    s.post(CMS, "{\"metadata\":{\"name\":\"n1\"}}");
    var nameMismatch = s.put(CMS + "/n1", "{\"metadata\":{\"name\":\"n2\"}}");
    assertEquals(400, nameMismatch.code());
    assertEquals(
        "the name of the object (n2) does not match the name on the URL (n1)",
        nameMismatch.message());
    var malformed = s.post(CMS, "{\"metadata\":");
    assertEquals(400, malformed.code());
    assertEquals("BadRequest", malformed.reason());
    var notObject = s.post(CMS, "[1,2]");
    assertEquals(400, notObject.code());
    var wrongKind =
        s.post(CMS, "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"k\"}}");
    assertEquals(400, wrongKind.code());
    var deep = s.post(CMS, "[".repeat(5000) + "]".repeat(5000));
    assertEquals(400, deep.code());
    assertFalse(deep.body().contains("at dev."), "no stack trace");
    var dry =
        s.send(
            "POST",
            CMS + "?dryRun=Yes",
            "{\"metadata\":{\"name\":\"d\"}}",
            "application/json",
            null);
    assertEquals(400, dry.code());
  }

  @Test
  void invalidUtf8IsRejected() throws Exception {
    byte[] body =
        "{\"metadata\":{\"name\":\"u\"},\"data\":{\"a\":\"\u00ff\"}}".getBytes("ISO-8859-1");
    var req =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url() + CMS))
            .header("Content-Type", "application/json")
            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    var r = s.http().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode(), r.body());
    assertEquals(404, s.get(CMS + "/u").code(), "nothing half-written");
  }

  @Test
  void methodMediaTypeAndSize() {
    var m = s.send("POST", CMS + "/x", "{}", "application/json", null);
    assertEquals(405, m.code());
    assertEquals("MethodNotAllowed", m.reason());
    var ro = s.send("DELETE", "/api/v1/componentstatuses/x", null, null, null);
    assertEquals(405, ro.code());
    var media = s.send("POST", CMS, "x", "text/plain", null);
    assertEquals(415, media.code());
    assertEquals("UnsupportedMediaType", media.reason());
    var cbor = s.send("PATCH", CMS + "/dup", "{}", "application/apply-patch+cbor", null);
    assertEquals(415, cbor.code());
    var apply = s.send("PATCH", CMS + "/dup", "{}", "application/apply-patch+yaml", null);
    assertEquals(422, apply.code(), "server-side apply needs a field manager");
    String big =
        "{\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\""
            + "x".repeat(3 * 1024 * 1024)
            + "\"}}";
    var large = s.post(CMS, big);
    assertEquals(413, large.code());
    assertEquals("RequestEntityTooLarge", large.reason());
    assertEquals(404, s.get(CMS + "/big").code());
    var notAcceptable = s.send("GET", CMS, null, null, "application/vnd.kubernetes.protobuf");
    assertEquals(406, notAcceptable.code());
    var protoThenJson =
        s.send("GET", CMS, null, null, "application/vnd.kubernetes.protobuf,application/json");
    assertEquals(200, protoThenJson.code());
    assertEquals("ConfigMapList", protoThenJson.json().path("kind").asText());
  }
}
