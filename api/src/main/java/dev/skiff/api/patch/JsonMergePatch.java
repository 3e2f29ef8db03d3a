package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * RFC 7386 JSON merge patch: objects merge recursively, {@code null} removes a member, anything
 * else (arrays included) replaces. Neither input is modified.
 */
public final class JsonMergePatch {
  private JsonMergePatch() {}

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isObject()) {
      return patch == null ? target : patch.deepCopy();
    }
    ObjectNode result =
        target != null && target.isObject()
            ? ((ObjectNode) target).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    mergeInto(result, (ObjectNode) patch);
    return result;
  }

  private static void mergeInto(ObjectNode result, ObjectNode patch) {
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      JsonNode value = e.getValue();
      if (value.isNull()) {
        result.remove(e.getKey());
      } else if (value.isObject()) {
        JsonNode existing = result.get(e.getKey());
        ObjectNode merged =
            existing != null && existing.isObject()
                ? (ObjectNode) existing
                : JsonNodeFactory.instance.objectNode();
        mergeInto(merged, (ObjectNode) value);
        result.set(e.getKey(), merged);
      } else {
        result.set(e.getKey(), value.deepCopy());
      }
    }
  }
}
