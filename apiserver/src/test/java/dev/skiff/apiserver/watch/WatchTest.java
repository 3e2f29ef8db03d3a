package dev.skiff.apiserver.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.testing.TestServer;
import dev.skiff.apiserver.testing.WatchClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** watch over HTTP: resourceVersion rules, selectors, bookmarks, timeouts and 410 Gone. */
class WatchTest {
  private static TestServer s;

  @BeforeAll
  static void start() {
    s = new TestServer();
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  private static String ns(String name) {
    s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}");
    return "/api/v1/namespaces/" + name + "/configmaps";
  }

  private static String line(JsonNode e) {
    return e.path("type").asText() + " " + e.path("object").path("metadata").path("name").asText();
  }

  @Test
  void fromAResourceVersionDeliversEveryLaterChange() throws Exception {
    String cms = ns("w1");
    s.post(cms, "{\"metadata\":{\"name\":\"before\"}}");
    String rv = s.get(cms).json().path("metadata").path("resourceVersion").asText();
    try (var w = new WatchClient(s.url() + cms + "?watch=true&resourceVersion=" + rv, null)) {
      assertEquals(200, w.status());
      s.post(cms, "{\"metadata\":{\"name\":\"a\"}}");
      s.patch(cms + "/a", "merge-patch", "{\"data\":{\"k\":\"v\"}}");
      s.delete(cms + "/a");
      assertEquals("ADDED a", line(w.next()));
      JsonNode mod = w.next();
      assertEquals("MODIFIED a", line(mod));
      assertEquals("v", mod.path("object").path("data").path("k").asText());
      JsonNode del = w.next();
      assertEquals("DELETED a", line(del));
      assertTrue(
          Long.parseLong(del.path("object").path("metadata").path("resourceVersion").asText())
              > Long.parseLong(
                  mod.path("object").path("metadata").path("resourceVersion").asText()));
    }
  }

  @Test
  void unsetResourceVersionStartsWithTheCurrentState() throws Exception {
    String cms = ns("w2");
    s.post(cms, "{\"metadata\":{\"name\":\"x\"}}");
    try (var w = new WatchClient(s.url() + cms + "?watch=1", null)) {
      assertEquals("ADDED x", line(w.next()));
      s.post(cms, "{\"metadata\":{\"name\":\"y\"}}");
      assertEquals("ADDED y", line(w.next()));
    }
  }

  @Test
  void objectsLeavingTheSelectorAreDeleted() throws Exception {
    String cms = ns("w3");
    try (var w = new WatchClient(s.url() + cms + "?watch=1&labelSelector=app%3Dweb", null)) {
      s.post(cms, "{\"metadata\":{\"name\":\"other\"}}");
      s.post(cms, "{\"metadata\":{\"name\":\"sel\",\"labels\":{\"app\":\"web\"}}}");
      assertEquals("ADDED sel", line(w.next()));
      s.patch(cms + "/sel", "merge-patch", "{\"metadata\":{\"labels\":{\"app\":\"db\"}}}");
      assertEquals("DELETED sel", line(w.next()));
      s.patch(cms + "/other", "merge-patch", "{\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
      assertEquals("ADDED other", line(w.next()));
    }
  }

  @Test
  void sendInitialEventsEndsWithABookmark() throws Exception {
    String cms = ns("w4");
    s.post(cms, "{\"metadata\":{\"name\":\"i1\"}}");
    s.post(cms, "{\"metadata\":{\"name\":\"i2\"}}");
    String url =
        s.url()
            + cms
            + "?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"
            + "&resourceVersionMatch=NotOlderThan&resourceVersion=";
    try (var w = new WatchClient(url, null)) {
      assertEquals("ADDED i1", line(w.next()));
      assertEquals("ADDED i2", line(w.next()));
      JsonNode b = w.next();
      assertEquals("BOOKMARK", b.path("type").asText());
      assertEquals(
          "true",
          b.path("object")
              .path("metadata")
              .path("annotations")
              .path("k8s.io/initial-events-end")
              .asText());
      assertEquals("ConfigMap", b.path("object").path("kind").asText());
    }
    assertEquals(400, s.get(cms + "?watch=1&sendInitialEvents=true").code());
  }

  @Test
  void timeoutSecondsEndsTheStream() throws Exception {
    String cms = ns("w5");
    try (var w = new WatchClient(s.url() + cms + "?watch=1&timeoutSeconds=1", null)) {
      assertTrue(w.ended());
    }
  }

  @Test
  void tooOldResourceVersionIsGone() throws Exception {
    String cms = ns("w6");
    // The cache keeps the last 10000 events per resource; push the first out.
    for (int i = 0; i < 10_001; i++) {
      s.store()
          .create(
              "/registry/configmaps/w6/bulk" + i,
              "{\"metadata\":{\"name\":\"b\",\"namespace\":\"w6\"}}".getBytes(),
              0);
    }
    s.get(cms); // a consistent list waits until the cache has seen every write
    try (var w = new WatchClient(s.url() + cms + "?watch=1&resourceVersion=2", null)) {
      JsonNode e = w.next();
      assertEquals("ERROR", e.path("type").asText());
      assertEquals(410, e.path("object").path("code").asInt());
      assertEquals("Expired", e.path("object").path("reason").asText());
    }
  }

  @Test
  void tablesOnWatchesCarryColumnsOnce() throws Exception {
    String cms = ns("w7");
    s.post(cms, "{\"metadata\":{\"name\":\"t1\"}}");
    try (var w =
        new WatchClient(
            s.url() + cms + "?watch=1", "application/json;as=Table;v=v1;g=meta.k8s.io")) {
      JsonNode first = w.next();
      assertEquals("Table", first.path("object").path("kind").asText());
      assertTrue(first.path("object").path("columnDefinitions").size() > 0);
      s.post(cms, "{\"metadata\":{\"name\":\"t2\"}}");
      JsonNode second = w.next();
      assertEquals("t2", second.path("object").path("rows").get(0).path("cells").get(0).asText());
      assertEquals(0, second.path("object").path("columnDefinitions").size());
    }
  }
}
