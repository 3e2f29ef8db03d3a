package dev.skiff.apiserver.endpoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** list: selectors, pages, resourceVersion semantics, tables and metadata-only lists. */
class ListTest {
  private static TestServer s;
  private static final String NS = "/api/v1/namespaces/lists/configmaps";

  @BeforeAll
  static void start() {
    s = new TestServer();
    s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"lists\"}}");
    for (int i = 0; i < 7; i++) {
      s.post(
          NS,
          "{\"metadata\":{\"name\":\"c"
              + i
              + "\",\"labels\":{\"parity\":\""
              + (i % 2 == 0 ? "even" : "odd")
              + "\",\"n\":\""
              + i
              + "\"}}}");
    }
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static List<String> names(JsonNode list) {
    List<String> out = new ArrayList<>();
    list.path("items").forEach(i -> out.add(i.path("metadata").path("name").asText()));
    return out;
  }

  @Test
  void labelSelectors() {
    assertEquals(
        List.of("c0", "c2", "c4", "c6"), names(s.get(NS + "?labelSelector=parity%3Deven").json()));
    assertEquals(
        List.of("c1", "c3"),
        names(s.get(NS + "?labelSelector=parity!%3Deven,n+in+(1,3,4)").json()));
    assertEquals(List.of(), names(s.get(NS + "?labelSelector=!parity").json()));
    var bad = s.get(NS + "?labelSelector=a+b");
    assertEquals(400, bad.code());
    assertTrue(bad.message().startsWith("unable to parse requirement"), bad.message());
  }

  @Test
  void fieldSelectors() {
    assertEquals(List.of("c3"), names(s.get(NS + "?fieldSelector=metadata.name%3Dc3").json()));
    assertEquals(6, names(s.get(NS + "?fieldSelector=metadata.name!%3Dc3").json()).size());
    var bad = s.get(NS + "?fieldSelector=spec.bogus%3D1");
    assertEquals(400, bad.code());
    assertEquals("field label not supported: spec.bogus", bad.message());
  }

  @Test
  void pagesShareOneSnapshot() {
    var first = s.get(NS + "?limit=3").json();
    assertEquals(List.of("c0", "c1", "c2"), names(first));
    String cont = first.path("metadata").path("continue").asText();
    assertFalse(cont.isEmpty());
    s.post(NS, "{\"metadata\":{\"name\":\"c9\"}}");
    List<String> all = new ArrayList<>(names(first));
    while (!cont.isEmpty()) {
      var page = s.get(NS + "?limit=3&continue=" + cont).json();
      all.addAll(names(page));
      assertEquals(
          first.path("metadata").path("resourceVersion").asText(),
          page.path("metadata").path("resourceVersion").asText());
      cont = page.path("metadata").path("continue").asText();
    }
    assertEquals(List.of("c0", "c1", "c2", "c3", "c4", "c5", "c6"), all, "c9 came later");
    s.delete(NS + "/c9");
    var filtered = s.get(NS + "?limit=2&labelSelector=parity%3Dodd").json();
    assertEquals(List.of("c1", "c3"), names(filtered));
    assertEquals(400, s.get(NS + "?continue=garbage").code());
  }

  @Test
  void resourceVersionSemantics() {
    var before = s.get(NS).json();
    String rv = before.path("metadata").path("resourceVersion").asText();
    s.post(NS, "{\"metadata\":{\"name\":\"later\"}}");
    var exact = s.get(NS + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact").json();
    assertFalse(names(exact).contains("later"));
    assertTrue(names(s.get(NS).json()).contains("later"), "unset is a consistent read");
    assertTrue(names(s.get(NS + "?resourceVersion=0").json()).size() >= 8);
    assertTrue(
        names(s.get(NS + "?resourceVersion=" + rv + "&resourceVersionMatch=NotOlderThan").json())
            .contains("later"));
    assertEquals(400, s.get(NS + "?resourceVersionMatch=Exact").code());
    s.store().compact(s.store().currentRevision());
    var gone = s.get(NS + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact");
    assertEquals(410, gone.code());
    assertEquals("Expired", gone.reason());
    s.delete(NS + "/later");
  }

  @Test
  void acrossAllNamespaces() {
    var all = s.get("/api/v1/configmaps").json();
    assertEquals("ConfigMapList", all.path("kind").asText());
    assertTrue(names(all).contains("c0"));
  }

  @Test
  void tablesForKubectl() {
    var t =
        s.send(
                "GET",
                NS + "?labelSelector=n%3D1",
                null,
                null,
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
            .json();
    assertEquals("Table", t.path("kind").asText());
    assertEquals("meta.k8s.io/v1", t.path("apiVersion").asText());
    assertEquals("Name", t.path("columnDefinitions").get(0).path("name").asText());
    assertEquals(1, t.path("rows").size());
    var row = t.path("rows").get(0);
    assertEquals("c1", row.path("cells").get(0).asText());
    assertEquals("PartialObjectMetadata", row.path("object").path("kind").asText());
    assertEquals("c1", row.path("object").path("metadata").path("name").asText());
    var full =
        s.send(
                "GET",
                NS + "/c1?includeObject=Object",
                null,
                null,
                "application/json;as=Table;v=v1;g=meta.k8s.io")
            .json();
    assertEquals("ConfigMap", full.path("rows").get(0).path("object").path("kind").asText());
    var none =
        s.send(
                "GET",
                NS + "/c1?includeObject=None",
                null,
                null,
                "application/json;as=Table;v=v1;g=meta.k8s.io")
            .json();
    assertFalse(none.path("rows").get(0).has("object"));
  }

  @Test
  void partialObjectMetadataList() {
    var l =
        s.send(
                "GET",
                NS,
                null,
                null,
                "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io")
            .json();
    assertEquals("PartialObjectMetadataList", l.path("kind").asText());
    assertEquals("PartialObjectMetadata", l.path("items").get(0).path("kind").asText());
    assertFalse(l.path("items").get(0).has("data"));
  }
}
