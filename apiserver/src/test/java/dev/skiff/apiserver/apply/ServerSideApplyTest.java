package dev.skiff.apiserver.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PATCH with application/apply-patch+yaml, and managedFields kept by every write. */
class ServerSideApplyTest {
  private static final String CMS = "/api/v1/namespaces/default/configmaps";
  private static final String DEPLOYS = "/apis/apps/v1/namespaces/default/deployments";
  private static TestServer s;

  @BeforeAll
  static void start() {
    s = new TestServer();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static TestServer.Reply apply(String path, String query, String yaml) {
    return s.send("PATCH", path + query, yaml, "application/apply-patch+yaml", "application/json");
  }

  private static JsonNode entry(JsonNode obj, String manager) {
    for (JsonNode e : obj.path("metadata").path("managedFields")) {
      if (e.path("manager").asText().equals(manager)) {
        return e;
      }
    }
    return null;
  }

  private static String deployment(String name, int replicas) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: "
        + name
        + "\nspec:\n  replicas: "
        + replicas
        + "\n  selector:\n    matchLabels: {app: "
        + name
        + "}\n  template:\n    metadata:\n      labels: {app: "
        + name
        + "}\n    spec:\n      containers:\n      - name: c\n        image: busybox\n";
  }

  @Test
  void applyCreatesTheObjectAndRecordsTheApplier() {
    var r =
        apply(
            CMS + "/created",
            "?fieldManager=tool",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: created\n  labels: {a: '1'}\n"
                + "data:\n  k: v\n");
    assertEquals(201, r.code(), r.body());
    JsonNode e = entry(r.json(), "tool");
    assertEquals("Apply", e.path("operation").asText());
    assertEquals("v1", e.path("apiVersion").asText());
    assertEquals("FieldsV1", e.path("fieldsType").asText());
    assertTrue(e.path("fieldsV1").path("f:data").has("f:k"), e.toString());
    assertTrue(e.path("fieldsV1").path("f:metadata").path("f:labels").has("f:a"), e.toString());
    assertEquals("v", s.get(CMS + "/created").json().path("data").path("k").asText());
  }

  @Test
  void fieldsTheApplierStopsSendingAreRemovedUnlessSomeoneElseOwnsThem() {
    String both =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pruned}\ndata: {a: '1', b: '2'}\n";
    assertEquals(201, apply(CMS + "/pruned", "?fieldManager=one", both).code());
    assertEquals(200, apply(CMS + "/pruned", "?fieldManager=two", both).code());
    String onlyA = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pruned}\ndata: {a: '1'}\n";
    var r = apply(CMS + "/pruned", "?fieldManager=one", onlyA);
    assertEquals("2", r.json().path("data").path("b").asText(), "two still owns b");
    r = apply(CMS + "/pruned", "?fieldManager=two", onlyA);
    assertFalse(r.json().path("data").has("b"), r.body());
  }

  @Test
  void changingAnotherManagersFieldIsAConflictUnlessForced() {
    assertEquals(201, apply(DEPLOYS + "/web", "?fieldManager=first", deployment("web", 1)).code());
    var patched =
        s.send(
            "PATCH",
            DEPLOYS + "/web?fieldManager=editor",
            "{\"spec\":{\"replicas\":2}}",
            "application/merge-patch+json",
            "application/json");
    assertEquals(200, patched.code(), patched.body());
    assertEquals("Update", entry(patched.json(), "editor").path("operation").asText());

    var r = apply(DEPLOYS + "/web", "?fieldManager=first", deployment("web", 3));
    assertEquals(409, r.code(), r.body());
    assertEquals("Conflict", r.json().path("reason").asText());
    assertEquals(
        "Apply failed with 1 conflict: conflict with \"editor\" using apps/v1: .spec.replicas",
        r.json().path("message").asText());
    JsonNode cause = r.json().path("details").path("causes").path(0);
    assertEquals("FieldManagerConflict", cause.path("reason").asText());
    assertEquals(".spec.replicas", cause.path("field").asText());
    assertEquals(2, s.get(DEPLOYS + "/web").json().path("spec").path("replicas").asInt());

    r = apply(DEPLOYS + "/web", "?fieldManager=first&force=true", deployment("web", 3));
    assertEquals(200, r.code(), r.body());
    assertEquals(3, r.json().path("spec").path("replicas").asInt());
    assertTrue(entry(r.json(), "editor") == null, "editor owned only replicas");
  }

  @Test
  void dryRunAppliesNothing() {
    var r =
        apply(
            CMS + "/dry",
            "?fieldManager=tool&dryRun=All",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: dry}\n");
    assertEquals(201, r.code(), r.body());
    assertEquals(404, s.get(CMS + "/dry").code());
  }

  @Test
  void badApplyRequestsAreRefusedWithUpstreamsErrors() {
    String cm = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad}\n";
    var r = apply(CMS + "/bad", "", cm);
    assertEquals(422, r.code());
    assertEquals(
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for"
            + " apply patch",
        r.json().path("message").asText());
    r =
        apply(
            CMS + "/bad",
            "?fieldManager=x",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other}\n");
    assertEquals(400, r.code(), r.body());
    r =
        s.send(
            "PATCH",
            CMS + "/bad?force=true",
            "{}",
            "application/merge-patch+json",
            "application/json");
    assertEquals(422, r.code(), r.body());
    assertTrue(r.json().path("message").asText().contains("force: Forbidden"), r.body());
    assertEquals(404, s.get(CMS + "/bad").code());
  }

  @Test
  void ordinaryWritesAreRecordedAsUpdatesByTheirManager() {
    var c =
        s.send(
            "POST",
            CMS + "?fieldManager=creator",
            "{\"metadata\":{\"name\":\"upd\"},\"data\":{\"a\":\"1\"}}",
            "application/json",
            "application/json");
    assertEquals(201, c.code(), c.body());
    assertTrue(entry(c.json(), "creator").path("fieldsV1").path("f:data").has("f:a"));
    var u =
        s.send(
            "PUT",
            CMS + "/upd",
            "{\"metadata\":{\"name\":\"upd\"},\"data\":{\"a\":\"2\"}}",
            "application/json",
            "application/json");
    assertEquals(200, u.code(), u.body());
    // As upstream: the creator keeps the map it added (a member without children: {}), and loses
    // the key the update changed.
    assertEquals(
        "{\"f:data\":{}}", entry(u.json(), "creator").path("fieldsV1").toString(), u.body());
    JsonNode byAgent = entry(u.json(), "Java-http-client");
    assertEquals("Update", byAgent.path("operation").asText(), u.body());
    assertTrue(byAgent.path("fieldsV1").path("f:data").has("f:a"), u.body());
  }

  @Test
  void applyCreatingAServiceAllocatesItsClusterIp() {
    var r =
        apply(
            "/api/v1/namespaces/default/services/applied",
            "?fieldManager=tool",
            "apiVersion: v1\nkind: Service\nmetadata: {name: applied}\n"
                + "spec:\n  ports:\n  - port: 80\n");
    assertEquals(201, r.code(), r.body());
    assertFalse(r.json().path("spec").path("clusterIP").asText().isEmpty(), r.body());
  }
}
