package dev.skiff.apiserver.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import org.junit.jupiter.api.Test;

class StoredJsonTest {
  @Test
  void storesWhatCodecEncodesAndRespondsWithWhatAReadSends() {
    for (String json :
        new String[] {
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
              + "\"labels\":{\"x\":\"}\"},\"managedFields\":[{\"fieldsV1\":{\"f:data\":{}}}]},"
              + "\"data\":{\"k\":\"v\"}}",
          "{\"metadata\":{},\"data\":{\"metadata\":{\"resourceVersion\":\"1\"}}}",
          "{\"data\":{\"k\":[1,2.5,{\"a\":null}],\"b\":true},\"metadata\":{\"name\":\"é\"}}",
          "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"\"},\"spec\":{}}",
          "{\"kind\":\"q\\\"\\u00e9\\n\",\"metadata\":{\"resourceVersion\":\"7\",\"name\":\"a\"}}",
          "{\"metadata\":{\"resourceVersion\":\"7\"},\"n\":3}"
        }) {
      ObjectNode obj = Json.parseObject(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      StoredJson stored = StoredJson.of(obj);
      assertArrayEquals(Codec.encode(obj), stored.bytes(), json);
      KeyValue kv = new KeyValue("/registry/configmaps/default/a", stored.bytes(), 3, 42, 0);
      assertArrayEquals(Json.bytes(Codec.decode(kv)), stored.withResourceVersion(42), json);
    }
  }

  @Test
  void hasNothingToSpliceIntoWithoutMetadata() {
    ObjectNode obj =
        Json.parseObject("{\"data\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertNull(StoredJson.of(obj).withResourceVersion(5));
  }
}
