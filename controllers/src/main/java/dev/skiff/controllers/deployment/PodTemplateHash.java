package dev.skiff.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.nio.charset.StandardCharsets;

/**
 * The {@code pod-template-hash} label that names a Deployment's ReplicaSets: a 32-bit FNV-1a hash
 * of the pod template (and of the collision count, when there is one) written in decimal and mapped
 * onto upstream's "safe" alphabet, which has no vowels and no look-alike digits.
 *
 * <p>Upstream hashes a dump of the Go struct; we hash the template's canonical JSON (map keys
 * sorted), so hashes have upstream's shape and stability but not its exact values.
 */
public final class PodTemplateHash {
  public static final String LABEL = "pod-template-hash";
  private static final String SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private static final ObjectMapper CANONICAL =
      com.fasterxml.jackson.databind.json.JsonMapper.builder()
          .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
          .build();

  private PodTemplateHash() {}

  public static String compute(PodTemplateSpec template, Integer collisionCount) {
    byte[] bytes;
    try {
      bytes = CANONICAL.writeValueAsString(withoutHash(template)).getBytes(StandardCharsets.UTF_8);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("pod template is not serializable", e);
    }
    return of(bytes, collisionCount);
  }

  /** The hash of {@code bytes} and the collision count, in upstream's shape. */
  public static String of(byte[] bytes, Integer collisionCount) {
    int hash = fnv(0x811c9dc5, bytes);
    if (collisionCount != null) {
      int c = collisionCount;
      hash =
          fnv(hash, new byte[] {(byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24)});
    }
    return safeEncode(Integer.toUnsignedString(hash));
  }

  private static int fnv(int hash, byte[] bytes) {
    for (byte b : bytes) {
      hash ^= b & 0xff;
      hash *= 0x01000193;
    }
    return hash;
  }

  static String safeEncode(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      out.append(SAFE_ALPHABET.charAt(s.charAt(i) % SAFE_ALPHABET.length()));
    }
    return out.toString();
  }

  /** The template as a JSON tree without the pod-template-hash label. */
  static JsonNode withoutHash(PodTemplateSpec template) {
    JsonNode tree = CANONICAL.valueToTree(template);
    JsonNode labels = tree.path("metadata").path("labels");
    if (labels instanceof ObjectNode object) {
      object.remove(LABEL);
      if (object.isEmpty()) {
        ((ObjectNode) tree.get("metadata")).remove("labels");
      }
    }
    return tree;
  }

  /** Whether two templates are the same apart from the pod-template-hash label. */
  public static boolean equalIgnoringHash(PodTemplateSpec a, PodTemplateSpec b) {
    return withoutHash(a).equals(withoutHash(b));
  }
}
