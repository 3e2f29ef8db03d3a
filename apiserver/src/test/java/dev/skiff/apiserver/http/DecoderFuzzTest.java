package dev.skiff.apiserver.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.skiff.apiserver.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated bodies through every request decoder: each either decodes to an object or
 * fails with a 400 Status, never with another exception.
 */
class DecoderFuzzTest {
  private static final String[] TYPES = {
    "application/json", "application/yaml", "application/vnd.kubernetes.protobuf"
  };
  private static final byte[][] SEEDS = {
    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}"
        .getBytes(StandardCharsets.UTF_8),
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: [1, {x: y}]\n"
        .getBytes(StandardCharsets.UTF_8),
    HexFormat.of()
        .parseHex(
            "6b3873000a0f0a02763112094e616d657370616365121a0a120a02743112001a0022002a003200380042"
                + "0012001a020a001a002200"),
  };

  @Test
  void decodersNeverFailUnexpectedly() {
    Random random = new Random(42);
    for (int i = 0; i < 20_000; i++) {
      byte[] seed = SEEDS[random.nextInt(SEEDS.length)];
      byte[] body = mutate(seed, random);
      String type = TYPES[random.nextInt(TYPES.length)];
      try {
        Exchange.decode(body, MediaType.parse(type));
      } catch (ApiException e) {
        assertEquals(400, e.code(), e.getMessage());
      } catch (RuntimeException e) {
        fail("decoding " + type + " " + HexFormat.of().formatHex(body) + " threw " + e, e);
      }
    }
  }

  private static byte[] mutate(byte[] seed, Random random) {
    byte[] b = seed.clone();
    switch (random.nextInt(4)) {
      case 0 -> {
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
      }
      case 1 -> b = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
      case 2 -> {
        b = new byte[random.nextInt(64)];
        random.nextBytes(b);
      }
      default -> {
        int at = random.nextInt(b.length);
        byte[] grown = new byte[b.length + 1];
        System.arraycopy(b, 0, grown, 0, at);
        grown[at] = (byte) random.nextInt(256);
        System.arraycopy(b, at, grown, at + 1, b.length - at);
        b = grown;
      }
    }
    return b;
  }
}
