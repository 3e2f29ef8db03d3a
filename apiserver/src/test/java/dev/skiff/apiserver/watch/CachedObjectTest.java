package dev.skiff.apiserver.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.storage.KeyValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CachedObjectTest {
  private static final String PREFIX = "/registry/configmaps/";

  private static KeyValue stored(String key, String json, long revision) {
    return new KeyValue(key, json.getBytes(StandardCharsets.UTF_8), 3, revision, 0);
  }

  @Test
  void aStoredObjectReadsAsItsDecodedTree() {
    KeyValue kv =
        stored(
            PREFIX + "team-a/settings",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"settings\","
                + "\"namespace\":\"team-a\",\"labels\":{\"app\":\"web\"}},\"data\":{\"k\":\"grüße\"}}",
            42);

    CachedObject o = new CachedObject(PREFIX, kv);

    assertEquals("team-a", o.namespace());
    assertEquals("settings", o.name());
    assertEquals(42, o.revision());
    assertEquals(Map.of("app", "web"), o.labels());
    ObjectNode tree = o.object();
    assertEquals("42", tree.path("metadata").path("resourceVersion").asText());
    assertEquals(Codec.decode(kv), tree);
    assertSame(tree, o.object());
    assertEquals(tree, Json.parseObject(o.json()));
  }

  @Test
  void itsJsonIsTheStoredBytesWithTheResourceVersion() {
    KeyValue kv =
        stored(
            PREFIX + "default/plain",
            "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"plain\",\"namespace\":\"default\"}}",
            7);

    CachedObject o = new CachedObject(PREFIX, kv);

    assertEquals(
        "{\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"plain\",\"namespace\":\"default\","
            + "\"resourceVersion\":\"7\"}}",
        new String(o.json(), StandardCharsets.UTF_8));
    assertEquals(Map.of(), o.labels());
  }

  @Test
  void aClusterScopedObjectHasNoNamespace() {
    String prefix = "/registry/namespaces/";
    CachedObject o =
        new CachedObject(
            prefix, stored(prefix + "kube-system", "{\"metadata\":{\"name\":\"kube-system\"}}", 5));

    assertEquals("", o.namespace());
    assertEquals("kube-system", o.name());
    assertEquals("kube-system", o.object().path("metadata").path("name").asText());
  }
}
