package dev.skiff.apiserver.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import org.junit.jupiter.api.Test;

class CodecTest {
  private static KeyValue stored(String json) {
    return new KeyValue("/registry/configmaps/default/a", json.getBytes(UTF_8), 3, 42, 0);
  }

  @Test
  void splicedBytesAreWhatServingTheDecodedTreeSends() {
    for (String json :
        new String[] {
          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\","
              + "\"labels\":{\"x\":\"}\"},\"managedFields\":[{\"fieldsV1\":{\"f:data\":{}}}]},"
              + "\"data\":{\"k\":\"v\"}}",
          "{\"metadata\":{},\"data\":{\"metadata\":{\"resourceVersion\":\"1\"}}}",
          "{\"data\":{\"k\":[1,2,{\"a\":null}]},\"metadata\":{\"name\":\"é\"}}"
        }) {
      KeyValue kv = stored(json);
      assertArrayEquals(Json.bytes(Codec.decode(kv)), Codec.decodedJson(kv).orElseThrow(), json);
    }
  }

  @Test
  void declinesBytesItCannotSpliceExactly() {
    assertTrue(Codec.decodedJson(stored("{\"data\":{}}")).isEmpty());
    assertTrue(
        Codec.decodedJson(stored("{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"7\"}}"))
            .isEmpty());
    assertTrue(Codec.decodedJson(stored("{\"metadata\":\"a\"}")).isEmpty());
  }
}
