package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.schema.ModelType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Merging of lists whose field has the {@code merge} strategy: objects matched by merge key,
 * scalars as a set, and the resulting order as upstream computes it (patch order for the patched
 * elements, live order for the others, interleaved by their live positions).
 */
final class ListMerge {
  private ListMerge() {}

  static ArrayNode merge(
      ArrayNode original, ArrayNode patch, ModelType itemType, PatchMeta meta, String field) {
    if (original.isEmpty() && patch.isEmpty()) {
      return original;
    }
    boolean objects = elementsAreObjects(original, patch);
    List<JsonNode> merged;
    List<JsonNode> serverOrder = list(original);
    List<JsonNode> patchOrder;
    String key = meta.mergeKey();
    if (!objects) {
      merged = new ArrayList<>();
      for (JsonNode v : concat(original, patch)) {
        if (!merged.contains(v)) {
          merged.add(v);
        }
      }
      patchOrder = list(patch);
    } else {
      if (key.isEmpty()) {
        throw new PatchException("cannot merge lists without merge key for " + field);
      }
      List<JsonNode> plain = new ArrayList<>();
      boolean replace = false;
      for (JsonNode v : patch) {
        if (!v.isObject()) {
          throw new PatchException("lists of objects may not contain " + v.getNodeType());
        }
        JsonNode directive = v.get(StrategicMergePatch.DIRECTIVE);
        if (directive == null) {
          plain.add(v);
          continue;
        }
        switch (directive.asText()) {
          case "delete" -> {
            JsonNode id = v.get(key);
            if (id == null) {
              throw noMergeKey(v, key);
            }
            serverOrder.removeIf(o -> id.equals(o.get(key)));
          }
          case "replace" -> replace = true;
          case "merge" ->
              throw new PatchException("merging lists cannot yet be specified in the patch");
          default ->
              throw new PatchException(
                  "unknown patch type: " + directive.asText() + " in map: " + GoFormat.of(v));
        }
      }
      if (replace) {
        serverOrder = new ArrayList<>();
        for (JsonNode v : plain) {
          serverOrder.add(StrategicMergePatch.fresh(v, itemType, PatchMeta.NONE));
        }
        plain = List.of();
      }
      merged = new ArrayList<>(serverOrder);
      for (JsonNode v : plain) {
        JsonNode id = v.get(key);
        if (id == null) {
          throw noMergeKey(v, key);
        }
        int at = indexOf(merged, id, key);
        if (at >= 0 && merged.get(at).isObject()) {
          merged.set(
              at,
              StrategicMergePatch.mergeMap((ObjectNode) merged.get(at), (ObjectNode) v, itemType));
        } else {
          merged.add(StrategicMergePatch.fresh(v, itemType, PatchMeta.NONE));
        }
      }
      patchOrder = plain;
    }
    return toArray(normalize(merged, patchOrder, serverOrder, objects ? key : ""));
  }

  static ArrayNode deleteScalars(ArrayNode original, ArrayNode toDelete) {
    List<JsonNode> remove = list(toDelete);
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    for (JsonNode v : original) {
      if (!remove.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** Reorders a merged list by a {@code $setElementOrder} list, then by the live list. */
  static ArrayNode orderBy(ArrayNode merged, ArrayNode order, ArrayNode live, String key) {
    return toArray(normalize(list(merged), list(order), list(live), key));
  }

  /** Each non-directive patch element must appear in the order list, in the same order. */
  static void checkOrder(ArrayNode patch, ArrayNode order, String key) {
    int p = 0;
    int o = 0;
    List<JsonNode> items = new ArrayList<>();
    for (JsonNode v : patch) {
      if (!(v.isObject() && v.has(StrategicMergePatch.DIRECTIVE))) {
        items.add(v);
      }
    }
    while (p < items.size() && o < order.size()) {
      if (identity(items.get(p), key) != null
          && identity(items.get(p), key).equals(identity(order.get(o), key))) {
        p++;
      }
      o++;
    }
    if (p < items.size()) {
      throw PatchException.badRequest(
          "invalid patch format of setElementOrder list: the order in patch list "
              + GoFormat.of(patch)
              + " doesn't match $setElementOrder list "
              + GoFormat.of(order));
    }
  }

  private static List<JsonNode> normalize(
      List<JsonNode> merged, List<JsonNode> patchOrder, List<JsonNode> serverOrder, String key) {
    List<JsonNode> patched = new ArrayList<>();
    List<JsonNode> serverOnly = new ArrayList<>();
    for (JsonNode v : merged) {
      (position(patchOrder, v, key) >= 0 ? patched : serverOnly).add(v);
    }
    patched.sort(Comparator.comparingInt(v -> position(patchOrder, v, key)));
    serverOnly.sort(Comparator.comparingInt(v -> position(serverOrder, v, key)));
    // Insert server-only elements among the patched ones where the live order puts them.
    List<JsonNode> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < serverOnly.size() || j < patched.size()) {
      if (j >= patched.size()) {
        out.add(serverOnly.get(i++));
      } else if (i >= serverOnly.size()) {
        out.add(patched.get(j++));
      } else {
        int l = position(serverOrder, serverOnly.get(i), key);
        int r = position(serverOrder, patched.get(j), key);
        if (l >= 0 && r >= 0 && l < r) {
          out.add(serverOnly.get(i++));
        } else {
          out.add(patched.get(j++));
        }
      }
    }
    return out;
  }

  private static int position(List<JsonNode> list, JsonNode v, String key) {
    JsonNode id = identity(v, key);
    for (int i = 0; i < list.size(); i++) {
      if (id != null && id.equals(identity(list.get(i), key))) {
        return i;
      }
    }
    return -1;
  }

  private static JsonNode identity(JsonNode v, String key) {
    return key.isEmpty() ? v : v.get(key);
  }

  private static int indexOf(List<JsonNode> list, JsonNode id, String key) {
    for (int i = 0; i < list.size(); i++) {
      if (id.equals(list.get(i).get(key))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean elementsAreObjects(ArrayNode original, ArrayNode patch) {
    for (JsonNode v : concat(original, patch)) {
      if (v.isArray()) {
        throw new PatchException("lists of lists are not supported");
      }
    }
    JsonNode first = !patch.isEmpty() ? patch.get(0) : original.get(0);
    return first.isObject();
  }

  private static PatchException noMergeKey(JsonNode v, String key) {
    return new PatchException(
        "map: " + GoFormat.of(v) + " does not contain declared merge key: " + key);
  }

  private static List<JsonNode> concat(ArrayNode a, ArrayNode b) {
    List<JsonNode> all = list(a);
    all.addAll(list(b));
    return all;
  }

  private static List<JsonNode> list(ArrayNode a) {
    List<JsonNode> out = new ArrayList<>(a.size());
    a.forEach(out::add);
    return out;
  }

  private static ArrayNode toArray(List<JsonNode> items) {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    items.forEach(out::add);
    return out;
  }
}
