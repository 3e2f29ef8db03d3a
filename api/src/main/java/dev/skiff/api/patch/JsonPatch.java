package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 6902 JSON patch (add, remove, replace, move, copy, test) applied to a copy of the target.
 * Failure messages follow the wording of the library upstream's API server uses, so a user sees the
 * same Status text: a malformed patch document is a 400, an operation that does not apply is a 422.
 */
public final class JsonPatch {
  private JsonPatch() {}

  /** Upstream's bound on the operations of one patch, against abusive requests. */
  static final int MAX_OPERATIONS = 10_000;

  /** Bytes copy operations may add in one patch: the most a request body may carry. */
  static final long MAX_COPIED_BYTES = 3L * 1024 * 1024;

  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (patch == null || !patch.isArray()) {
      throw PatchException.badRequest(
          "json: cannot unmarshal "
              + (patch == null ? "null" : jsonKind(patch))
              + " into Go value of type jsonpatch.Patch");
    }
    if (patch.size() > MAX_OPERATIONS) {
      throw new PatchException(
          413,
          "The allowed maximum operations in a JSON patch is "
              + MAX_OPERATIONS
              + ", got "
              + patch.size());
    }
    JsonNode doc = target == null ? null : target.deepCopy();
    CopyBudget copies = new CopyBudget();
    for (JsonNode op : patch) {
      if (!op.isObject()) {
        throw PatchException.badRequest(
            "json: cannot unmarshal "
                + jsonKind(op)
                + " into Go value of type jsonpatch.Operation");
      }
      doc = applyOne(doc, (ObjectNode) op, copies);
    }
    return doc;
  }

  private static JsonNode applyOne(JsonNode doc, ObjectNode op, CopyBudget copies) {
    String kind = op.path("op").asText("unknown");
    switch (kind) {
      case "add" -> {
        return add(doc, path(op, "path", kind), value(op, kind), kind);
      }
      case "remove" -> {
        List<String> path = path(op, "path", kind);
        Location at = locate(doc, path);
        if (at == null || !at.exists()) {
          throw missing("remove operation does not apply: doc is missing path: \"%s\"", op, "path");
        }
        at.remove();
        return doc;
      }
      case "replace" -> {
        List<String> path = path(op, "path", kind);
        if (path.isEmpty()) {
          return value(op, kind).deepCopy();
        }
        Location at = locate(doc, path);
        if (at == null) {
          throw missing("replace operation does not apply: doc is missing path: %s", op, "path");
        }
        if (!at.exists()) {
          throw missing("replace operation does not apply: doc is missing key: %s", op, "path");
        }
        at.set(value(op, kind).deepCopy());
        return doc;
      }
      case "move" -> {
        List<String> from = path(op, "from", kind);
        List<String> path = path(op, "path", kind);
        Location source = locate(doc, from);
        if (source == null || !source.exists()) {
          throw missing("move operation does not apply: doc is missing from path: %s", op, "from");
        }
        if (path.size() > from.size() && path.subList(0, from.size()).equals(from)) {
          throw new PatchException(
              "move operation does not apply: cannot move "
                  + op.path("from").asText()
                  + " into its own child "
                  + op.path("path").asText());
        }
        JsonNode value = source.get();
        source.remove();
        return addAt(doc, path, value, "move", "destination path");
      }
      case "copy" -> {
        List<String> from = path(op, "from", kind);
        Location source = locate(doc, from);
        if (source == null || !source.exists()) {
          throw missing("copy operation does not apply: doc is missing from path: %s", op, "from");
        }
        copies.charge(source.get());
        return addAt(doc, path(op, "path", kind), source.get().deepCopy(), "copy", "path");
      }
      case "test" -> {
        List<String> path = path(op, "path", kind);
        JsonNode expected = value(op, kind);
        if (path.isEmpty()) {
          if (doc == null || !JsonValues.equal(doc, expected)) {
            throw new PatchException("testing value  failed: test failed");
          }
          return doc;
        }
        Location at = locate(doc, path);
        if (at == null) {
          throw missing("test operation does not apply: is missing path: %s", op, "path");
        }
        JsonNode actual = at.exists() ? at.get() : null;
        if (actual == null ? !expected.isNull() : !JsonValues.equal(actual, expected)) {
          throw new PatchException(
              "testing value " + op.path("path").asText() + " failed: test failed");
        }
        return doc;
      }
      default -> throw PatchException.badRequest("Unexpected kind: " + kind);
    }
  }

  private static JsonNode add(JsonNode doc, List<String> path, JsonNode value, String kind) {
    return addAt(doc, path, value.deepCopy(), kind, "path");
  }

  private static JsonNode addAt(
      JsonNode doc, List<String> path, JsonNode value, String kind, String what) {
    if (path.isEmpty()) {
      return value;
    }
    Location at = locate(doc, path);
    if (at == null) {
      throw new PatchException(
          kind
              + " operation does not apply: doc is missing "
              + what
              + ": \""
              + pointer(path)
              + "\": missing value");
    }
    at.insert(value);
    return doc;
  }

  private static PatchException missing(String format, ObjectNode op, String field) {
    return new PatchException(format.formatted(op.path(field).asText()) + ": missing value");
  }

  private static JsonNode value(ObjectNode op, String kind) {
    JsonNode v = op.get("value");
    if (v == null) {
      throw PatchException.badRequest(kind + " operation has no value: missing value");
    }
    return v;
  }

  private static List<String> path(ObjectNode op, String field, String kind) {
    JsonNode p = op.get(field);
    if (p == null || !p.isTextual()) {
      throw PatchException.badRequest(
          kind
              + " operation failed to decode "
              + field
              + ": operation missing "
              + field
              + " field");
    }
    String text = p.asText();
    if (text.isEmpty()) {
      return List.of();
    }
    if (!text.startsWith("/")) {
      throw PatchException.badRequest(
          kind
              + " operation failed to decode "
              + field
              + ": invalid JSON pointer \""
              + text
              + "\"");
    }
    List<String> tokens = new ArrayList<>();
    for (String raw : text.substring(1).split("/", -1)) {
      tokens.add(raw.replace("~1", "/").replace("~0", "~"));
    }
    return tokens;
  }

  private static String pointer(List<String> path) {
    StringBuilder b = new StringBuilder();
    for (String t : path) {
      b.append('/').append(t.replace("~", "~0").replace("/", "~1"));
    }
    return b.toString();
  }

  /**
   * The container holding the last token of {@code path}, or null when that container is absent.
   */
  private static Location locate(JsonNode doc, List<String> path) {
    JsonNode node = doc;
    for (int i = 0; i < path.size() - 1 && node != null; i++) {
      String token = path.get(i);
      if (node.isObject()) {
        node = node.get(token);
      } else if (node.isArray()) {
        int index = index(token, node.size() - 1);
        node = index < 0 ? null : node.get(index);
      } else {
        node = null;
      }
    }
    if (path.isEmpty() || node == null || !(node.isObject() || node.isArray())) {
      return null;
    }
    return new Location(node, path.getLast());
  }

  private static int index(String token, int max) {
    if (token.isEmpty() || !token.chars().allMatch(Character::isDigit) || token.length() > 9) {
      return -1;
    }
    int i = Integer.parseInt(token);
    return i <= max ? i : -1;
  }

  private static String jsonKind(JsonNode n) {
    return switch (n.getNodeType()) {
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      case NULL -> "null";
      default -> "array";
    };
  }

  /** Bounds what copy operations may add, so a short patch cannot grow an object without end. */
  private static final class CopyBudget {
    private long used;

    void charge(JsonNode copied) {
      used += copied.toString().length();
      if (used > MAX_COPIED_BYTES) {
        throw new PatchException(
            "Unable to complete the copy, the accumulated size increase of copy is "
                + used
                + ", exceeding the limit "
                + MAX_COPIED_BYTES);
      }
    }
  }

  private record Location(JsonNode container, String token) {
    boolean exists() {
      if (container.isObject()) {
        return container.has(token);
      }
      return index(token, container.size() - 1) >= 0;
    }

    JsonNode get() {
      return container.isObject()
          ? container.get(token)
          : container.get(index(token, container.size() - 1));
    }

    void remove() {
      if (container instanceof ObjectNode o) {
        o.remove(token);
      } else {
        ((ArrayNode) container).remove(arrayIndex(container.size() - 1));
      }
    }

    void set(JsonNode value) {
      if (container instanceof ObjectNode o) {
        o.set(token, value);
      } else {
        ((ArrayNode) container).set(arrayIndex(container.size() - 1), value);
      }
    }

    void insert(JsonNode value) {
      if (container instanceof ObjectNode o) {
        o.set(token, value);
      } else if (token.equals("-")) {
        ((ArrayNode) container).add(value);
      } else {
        ((ArrayNode) container).insert(arrayIndex(container.size()), value);
      }
    }

    private int arrayIndex(int max) {
      int i = index(token, max);
      if (i < 0) {
        throw new PatchException(
            "Unable to access invalid index: " + token + ": invalid index referenced");
      }
      return i;
    }
  }
}
