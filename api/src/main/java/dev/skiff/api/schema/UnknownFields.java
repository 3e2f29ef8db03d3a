package dev.skiff.api.schema;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fields of a request body that its type does not declare, and fields given twice: what upstream's
 * strict decoding reports for {@code fieldValidation=Strict} (an error) and {@code Warn} (one
 * warning each). Paths read like upstream's: {@code spec.template.spec.containers[0].foo}.
 */
public final class UnknownFields {
  private UnknownFields() {}

  // Buffers from a shared pool: the default pool is per thread, and requests run on virtual
  // threads, each new, so every parse would allocate its buffers afresh.
  private static final JsonFactory FACTORY =
      JsonFactory.builder().recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();
  private static final JsonFactory DETECTING =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
          .build();

  /**
   * Dotted paths of the fields in {@code obj} that {@code javaType} does not declare. A resource
   * without a model class ({@code GenericKubernetesResource}, custom resources) has only its
   * metadata checked: the rest is whatever its schema allows.
   */
  public static List<String> find(JsonNode obj, Class<?> javaType) {
    List<String> unknown = new ArrayList<>();
    if (javaType == null) {
      return unknown;
    }
    List<Object> path = new ArrayList<>();
    if (javaType == GenericKubernetesResource.class) {
      JsonNode metadata = obj.path("metadata");
      path.add("metadata");
      walk(metadata, ModelType.of(ObjectMeta.class), path, unknown);
    } else {
      walk(obj, ModelType.of(javaType), path, unknown);
    }
    return unknown;
  }

  /** Dotted paths of the fields that appear twice in one object of the JSON text. */
  public static List<String> duplicates(byte[] json) {
    // Nearly every body has none: Jackson's own detection proves that in one token scan, and only
    // a body it rejects (or cannot parse) is walked again to name every duplicate and its path.
    try (JsonParser p = DETECTING.createParser(json)) {
      while (p.nextToken() != null) {
        // scanning only
      }
      return List.of();
    } catch (IOException duplicateOrMalformed) {
      return duplicatesWithPaths(json);
    }
  }

  private static List<String> duplicatesWithPaths(byte[] json) {
    List<String> found = new ArrayList<>();
    Deque<Frame> stack = new ArrayDeque<>();
    try (JsonParser p = FACTORY.createParser(json)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        switch (t) {
          case FIELD_NAME -> {
            Frame top = stack.peek();
            top.field = p.currentName();
            if (!top.names.add(top.field)) {
              found.add(join(top.path, top.field));
            }
          }
          case START_OBJECT, START_ARRAY -> {
            String path = stack.isEmpty() ? "" : stack.peek().childPath();
            stack.push(new Frame(path, t == JsonToken.START_ARRAY));
          }
          case END_OBJECT, END_ARRAY -> stack.pop();
          default -> {
            if (!stack.isEmpty()) {
              stack.peek().childPath();
            }
          }
        }
      }
    } catch (IOException malformed) {
      // The decoder reports malformed JSON with its own, better message.
    }
    return found;
  }

  /**
   * Upstream's strict-decoding error text for the given problems, e.g. {@code strict decoding
   * error: unknown field "spec.foo", duplicate field "metadata.name"}.
   */
  public static String strictDecodingError(List<String> unknown, List<String> duplicated) {
    List<String> parts = new ArrayList<>();
    duplicated.forEach(d -> parts.add("duplicate field \"" + d + "\""));
    unknown.forEach(u -> parts.add("unknown field \"" + u + "\""));
    return "strict decoding error: " + String.join(", ", parts);
  }

  /**
   * {@code path} holds field names (String) and indexes (Integer); it is spelled out only for a
   * field found unknown, since almost every field of almost every body is known.
   */
  private static void walk(
      JsonNode value, ModelType type, List<Object> path, List<String> unknown) {
    switch (type) {
      case ModelType.Struct s when value.isObject() && !s.properties().isEmpty() -> {
        // A model class declaring no fields (FieldsV1) holds free-form JSON.
        Map<String, ModelType.Property> props = s.properties();
        for (Map.Entry<String, JsonNode> e : value.properties()) {
          ModelType.Property p = props.get(e.getKey());
          path.add(e.getKey());
          if (p == null) {
            unknown.add(spell(path));
          } else {
            walk(e.getValue(), p.type(), path, unknown);
          }
          path.remove(path.size() - 1);
        }
      }
      case ModelType.Array a when value.isArray() && descends(a.items()) -> {
        for (int i = 0; i < value.size(); i++) {
          path.add(i);
          walk(value.get(i), a.items(), path, unknown);
          path.remove(path.size() - 1);
        }
      }
      case ModelType.Dictionary d when value.isObject() && descends(d.values()) -> {
        for (Map.Entry<String, JsonNode> e : value.properties()) {
          path.add(e.getKey());
          walk(e.getValue(), d.values(), path, unknown);
          path.remove(path.size() - 1);
        }
      }
      default -> {}
    }
  }

  /** Whether values of {@code type} can hold fields at all (scalars and free-form JSON cannot). */
  private static boolean descends(ModelType type) {
    return type instanceof ModelType.Struct
        || type instanceof ModelType.Array
        || type instanceof ModelType.Dictionary;
  }

  private static String spell(List<Object> path) {
    StringBuilder b = new StringBuilder();
    for (Object step : path) {
      if (step instanceof Integer i) {
        b.append('[').append(i).append(']');
      } else {
        if (!b.isEmpty()) {
          b.append('.');
        }
        b.append((String) step);
      }
    }
    return b.toString();
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static final class Frame {
    final String path;
    final boolean array;
    final Set<String> names = new HashSet<>();
    String field;
    int index;

    Frame(String path, boolean array) {
      this.path = path;
      this.array = array;
    }

    /** The path of the value starting now in this object or array. */
    String childPath() {
      return array ? path + "[" + index++ + "]" : join(path, field);
    }
  }
}
