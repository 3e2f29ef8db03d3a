package dev.skiff.api.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.schema.ModelType;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies a strategic merge patch using the merge keys and strategies of {@code javaType}, as
 * upstream's API server does for {@code application/strategic-merge-patch+json}: maps merge
 * recursively, {@code null} deletes, lists of a field with the {@code merge} strategy merge by
 * their merge key (scalars as a set), other lists are replaced, and the directives {@code $patch},
 * {@code $retainKeys}, {@code $setElementOrder/<field>} and {@code
 * $deleteFromPrimitiveList/<field>} are honoured. Types without a model class (custom resources)
 * get JSON merge patch semantics. Neither input is modified.
 */
public final class StrategicMergePatch {
  private StrategicMergePatch() {}

  static final String DIRECTIVE = "$patch";
  static final String RETAIN_KEYS = "$retainKeys";
  static final String SET_ELEMENT_ORDER = "$setElementOrder/";
  static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

  public static JsonNode apply(JsonNode original, JsonNode patch, Class<?> javaType) {
    if (patch == null || !patch.isObject()) {
      throw PatchException.badRequest(
          "json: cannot unmarshal "
              + (patch == null ? "null" : patch.getNodeType().toString().toLowerCase())
              + " into Go value of type map[string]interface {}");
    }
    if (javaType == null || javaType == GenericKubernetesResource.class) {
      return JsonMergePatch.apply(original, patch);
    }
    ObjectNode target =
        original != null && original.isObject()
            ? ((ObjectNode) original).deepCopy()
            : JsonNodeFactory.instance.objectNode();
    return mergeMap(target, ((ObjectNode) patch).deepCopy(), ModelType.of(javaType));
  }

  /** Merges {@code patch} into {@code original}; both are private copies and may be changed. */
  static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, ModelType schema) {
    JsonNode directive = patch.remove(DIRECTIVE);
    if (directive != null) {
      switch (directive.asText()) {
        case "replace" -> {
          return mergeMap(JsonNodeFactory.instance.objectNode(), patch, schema);
        }
        case "delete" -> {
          return JsonNodeFactory.instance.objectNode();
        }
        default -> {
          patch.set(DIRECTIVE, directive);
          throw new PatchException(
              "unknown patch type: " + directive.asText() + " in map: " + GoFormat.of(patch));
        }
      }
    }
    applyRetainKeys(original, patch);
    applyElementOrders(original, patch, schema);

    for (Map.Entry<String, JsonNode> e : new ArrayList<>(patch.properties())) {
      String key = e.getKey();
      JsonNode value = e.getValue();
      if (key.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      boolean deleteList = key.startsWith(DELETE_FROM_PRIMITIVE_LIST);
      if (deleteList) {
        key = key.substring(DELETE_FROM_PRIMITIVE_LIST.length());
        if (!value.isArray()) {
          throw PatchException.badRequest("invalid patch format of primitive list");
        }
      }
      if (value.isNull()) {
        original.remove(key);
        continue;
      }
      JsonNode current = original.get(key);
      ModelType fieldType = fieldType(schema, key);
      PatchMeta meta = patchMeta(schema, key);
      if (deleteList) {
        if (current != null && current.isArray()) {
          original.set(key, ListMerge.deleteScalars((ArrayNode) current, (ArrayNode) value));
        }
      } else if (current == null
          || current.isNull()
          || current.getNodeType() != value.getNodeType()) {
        original.set(key, fresh(value, fieldType, meta));
      } else if (value.isObject()) {
        original.set(key, mergeMap((ObjectNode) current, (ObjectNode) value, fieldType));
      } else if (value.isArray() && meta.merge()) {
        original.set(
            key,
            ListMerge.merge((ArrayNode) current, (ArrayNode) value, items(fieldType), meta, key));
      } else {
        original.set(key, fresh(value, fieldType, meta));
      }
    }
    return original;
  }

  /**
   * A patch value for a key the original lacks: directives and nulls are resolved against empty.
   */
  static JsonNode fresh(JsonNode value, ModelType type, PatchMeta meta) {
    if (value.isObject()) {
      return mergeMap(JsonNodeFactory.instance.objectNode(), (ObjectNode) value, type);
    }
    if (value.isArray() && meta.merge()) {
      return ListMerge.merge(
          JsonNodeFactory.instance.arrayNode(), (ArrayNode) value, items(type), meta, "");
    }
    if (value.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (JsonNode item : value) {
        out.add(item.isObject() ? fresh(item, items(type), PatchMeta.NONE) : item);
      }
      return out;
    }
    return value;
  }

  /**
   * {@code $retainKeys}: keys of the original not listed are cleared (a union type's old member).
   */
  private static void applyRetainKeys(ObjectNode original, ObjectNode patch) {
    JsonNode retain = patch.remove(RETAIN_KEYS);
    if (retain == null) {
      return;
    }
    if (!retain.isArray()) {
      throw PatchException.badRequest("invalid patch format of retainKeys");
    }
    Set<String> keep = new HashSet<>();
    for (JsonNode k : retain) {
      if (!k.isTextual()) {
        throw PatchException.badRequest("invalid patch format of retainKeys");
      }
      keep.add(k.asText());
    }
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      String k = e.getKey();
      if (e.getValue().isNull()
          || k.startsWith(DELETE_FROM_PRIMITIVE_LIST)
          || k.startsWith(SET_ELEMENT_ORDER)) {
        continue;
      }
      if (!keep.contains(k)) {
        throw new PatchException("patch content doesn't match retainKeys list");
      }
    }
    original.retain(keep);
  }

  /**
   * {@code $setElementOrder/<field>}: merges that list now and orders the result: the directive's
   * order first, then the patch's, then the live object's.
   */
  private static void applyElementOrders(ObjectNode original, ObjectNode patch, ModelType schema) {
    List<String> directives = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : patch.properties()) {
      if (e.getKey().startsWith(SET_ELEMENT_ORDER)) {
        directives.add(e.getKey());
      }
    }
    for (String directive : directives) {
      JsonNode order = patch.remove(directive);
      if (!order.isArray()) {
        throw PatchException.badRequest("invalid patch format of setElementOrder list");
      }
      String key = directive.substring(SET_ELEMENT_ORDER.length());
      JsonNode current = original.get(key);
      JsonNode patchList = patch.get(key);
      boolean inOriginal = current != null && current.isArray();
      boolean inPatch = patchList != null && patchList.isArray();
      if (!inOriginal && !inPatch) {
        continue;
      }
      ModelType fieldType = fieldType(schema, key);
      PatchMeta meta = patchMeta(schema, key);
      ArrayNode originalList =
          inOriginal ? (ArrayNode) current : JsonNodeFactory.instance.arrayNode();
      if (inPatch) {
        ListMerge.checkOrder((ArrayNode) patchList, (ArrayNode) order, meta.mergeKey());
      }
      ArrayNode merged;
      if (!inPatch) {
        merged = originalList;
      } else if (!inOriginal) {
        merged = (ArrayNode) fresh(patchList, fieldType, meta);
      } else if (meta.merge()) {
        merged = ListMerge.merge(originalList, (ArrayNode) patchList, items(fieldType), meta, key);
      } else {
        merged = (ArrayNode) fresh(patchList, fieldType, meta);
      }
      original.set(
          key, ListMerge.orderBy(merged, (ArrayNode) order, originalList, meta.mergeKey()));
      patch.remove(key);
    }
  }

  static ModelType fieldType(ModelType schema, String key) {
    if (schema instanceof ModelType.Struct s) {
      ModelType.Property p = s.properties().get(key);
      return p == null ? new ModelType.Any() : p.type();
    }
    if (schema instanceof ModelType.Dictionary d) {
      return d.values();
    }
    return new ModelType.Any();
  }

  static ModelType items(ModelType type) {
    return type instanceof ModelType.Array a ? a.items() : new ModelType.Any();
  }

  private static PatchMeta patchMeta(ModelType schema, String key) {
    return schema instanceof ModelType.Struct s ? PatchMeta.of(s.javaClass(), key) : PatchMeta.NONE;
  }
}
