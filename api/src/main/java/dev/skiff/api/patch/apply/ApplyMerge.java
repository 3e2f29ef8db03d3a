package dev.skiff.api.patch.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Merges an applied configuration into the live object, as upstream's typed Merge: the
 * configuration's leaves win, objects merge field by field, associative lists and sets merge
 * element by element (the live elements it does not name keep their place, the ones it names follow
 * its order), and atomic values are replaced whole. A null in the configuration clears the field.
 * Neither input is modified.
 */
public final class ApplyMerge {
  private ApplyMerge() {}

  public static JsonNode merge(JsonNode live, JsonNode config, Shape shape) {
    if (config == null) {
      return live == null ? null : live.deepCopy();
    }
    if (live == null || live.isNull()) {
      return config.deepCopy();
    }
    if (shape.granularObject() && live.isObject() && config.isObject()) {
      ObjectNode out = ((ObjectNode) live).deepCopy();
      for (Map.Entry<String, JsonNode> e : config.properties()) {
        if (e.getValue().isNull()) {
          out.remove(e.getKey());
        } else {
          out.set(e.getKey(), merge(live.get(e.getKey()), e.getValue(), shape.child(e.getKey())));
        }
      }
      return out;
    }
    if (shape.granularList() && live.isArray() && config.isArray()) {
      ArrayNode merged = mergeItems(live, config, shape);
      if (merged != null) {
        return merged;
      }
    }
    return config.deepCopy();
  }

  private static ArrayNode mergeItems(JsonNode live, JsonNode config, Shape shape) {
    List<PathElement> lkeys = shape.itemElements(live);
    List<PathElement> rkeys = shape.itemElements(config);
    if (lkeys == null || rkeys == null) {
      return null;
    }
    Map<PathElement, JsonNode> liveByKey = new HashMap<>();
    for (int i = 0; i < lkeys.size(); i++) {
      liveByKey.put(lkeys.get(i), live.get(i));
    }
    Set<PathElement> inConfig = new HashSet<>(rkeys);
    Set<PathElement> emitted = new HashSet<>();
    Shape element = shape.element();
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    int i = 0;
    int j = 0;
    while (i < lkeys.size() || j < rkeys.size()) {
      if (i < lkeys.size() && emitted.contains(lkeys.get(i))) {
        i++;
      } else if (i < lkeys.size() && !inConfig.contains(lkeys.get(i))) {
        out.add(live.get(i).deepCopy());
        i++;
      } else if (j < rkeys.size()) {
        PathElement pe = rkeys.get(j);
        out.add(merge(liveByKey.get(pe), config.get(j), element));
        emitted.add(pe);
        j++;
      } else {
        i++;
      }
    }
    return out;
  }
}
