package dev.skiff.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.apiserver.testing.TestServer;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void createsAndReadsAConfigMap() {
    try (TestServer s = new TestServer()) {
      var r =
          s.post(
              "/api/v1/namespaces/default/configmaps",
              "{\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}");
      assertEquals(201, r.code(), r.body());
      var g = s.get("/api/v1/namespaces/default/configmaps/a");
      assertEquals("v", g.json().path("data").path("k").asText(), g.body());
      var l = s.get("/api/v1/configmaps");
      assertEquals(1, l.json().path("items").size(), l.body());
    }
  }
}
