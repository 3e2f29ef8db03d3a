package dev.skiff.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Legacy and aggregated discovery documents. */
class DiscoveryTest {
  private static TestServer s;

  @BeforeAll
  static void start() {
    s = new TestServer();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (n.path(field).asText().equals(value)) {
        return n;
      }
    }
    throw new AssertionError(value + " not in " + array);
  }

  @Test
  void legacyDocuments() {
    var api = s.get("/api").json();
    assertEquals("APIVersions", api.path("kind").asText());
    assertEquals("v1", api.path("versions").get(0).asText());
    var groups = s.get("/apis").json();
    assertEquals("APIGroupList", groups.path("kind").asText());
    var apps = find(groups.path("groups"), "name", "apps");
    assertEquals("apps/v1", apps.path("preferredVersion").path("groupVersion").asText());
    assertEquals("APIGroup", s.get("/apis/apps").json().path("kind").asText());
    var core = s.get("/api/v1").json();
    var pods = find(core.path("resources"), "name", "pods");
    assertTrue(pods.path("namespaced").asBoolean());
    assertEquals("Pod", pods.path("kind").asText());
    assertTrue(pods.path("shortNames").toString().contains("po"));
    find(core.path("resources"), "name", "pods/status");
    var deploys = s.get("/apis/apps/v1").json();
    var scale = find(deploys.path("resources"), "name", "deployments/scale");
    assertEquals("Scale", scale.path("kind").asText());
    assertEquals("autoscaling", scale.path("group").asText());
    assertEquals(404, s.get("/apis/nope").code());
    assertEquals(404, s.get("/apis/apps/v9").code());
  }

  @Test
  void aggregatedDiscoveryEchoesTheProfile() {
    for (String v : new String[] {"v2", "v2beta1"}) {
      String accept =
          "application/json;g=apidiscovery.k8s.io;v="
              + v
              + ";as=APIGroupDiscoveryList,application/json";
      var r = s.send("GET", "/apis", null, null, accept);
      assertEquals(200, r.code());
      assertEquals(
          "application/json;g=apidiscovery.k8s.io;v=" + v + ";as=APIGroupDiscoveryList",
          r.header("Content-Type"));
      assertEquals("APIGroupDiscoveryList", r.json().path("kind").asText());
      var apps = r.json().path("items").get(0).path("metadata").path("name").asText();
      assertTrue(!apps.isEmpty());
      var core = s.send("GET", "/api", null, null, accept).json();
      var v1 = core.path("items").get(0).path("versions").get(0);
      assertEquals("v1", v1.path("version").asText());
      var pods = find(v1.path("resources"), "resource", "pods");
      assertEquals("Namespaced", pods.path("scope").asText());
      assertEquals("Pod", pods.path("responseKind").path("kind").asText());
      find(pods.path("subresources"), "subresource", "status");
    }
  }
}
