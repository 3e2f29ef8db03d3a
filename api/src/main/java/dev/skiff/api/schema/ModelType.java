package dev.skiff.api.schema;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.kubernetes.api.model.AnyType;
import io.fabric8.kubernetes.api.model.Duration;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.Quantity;
import java.lang.reflect.Modifier;
import java.util.Map;

/**
 * The JSON shape of a fabric8 model type, read by reflection from its Jackson annotations: what
 * strategic merge patch, unknown-field detection and OpenAPI generation walk. A type whose JSON is
 * not a plain bean (a custom serializer, {@code Object}, an interface) is {@link Any}.
 */
public sealed interface ModelType {

  /** A JSON string, integer, number or boolean; {@code javaClass} names special ones (Quantity). */
  record Scalar(String type, String format, Class<?> javaClass) implements ModelType {}

  record Array(ModelType items) implements ModelType {}

  /** A JSON object with arbitrary keys, e.g. labels or resource limits. */
  record Dictionary(ModelType values) implements ModelType {}

  /** A bean with declared properties: a fabric8 model class. */
  record Struct(Class<?> javaClass) implements ModelType {
    /** Property name to shape, in the class's declared JSON order. */
    public Map<String, Property> properties() {
      return Introspector.properties(javaClass);
    }
  }

  /** Any JSON value. */
  record Any() implements ModelType {}

  /** One declared property of a {@link Struct}. */
  record Property(String name, ModelType type, boolean required) {}

  static ModelType of(Class<?> type) {
    return Introspector.modelType(type);
  }

  static ModelType of(JavaType type) {
    Class<?> raw = type.getRawClass();
    if (type.isCollectionLikeType() || type.isArrayType() && raw != byte[].class) {
      return new Array(of(type.getContentType()));
    }
    if (type.isMapLikeType()) {
      return new Dictionary(of(type.getContentType()));
    }
    Scalar scalar = scalar(raw);
    if (scalar != null) {
      return scalar;
    }
    if (raw.isInterface()
        || Modifier.isAbstract(raw.getModifiers())
        || raw.getName().startsWith("java.")
        || JsonNode.class.isAssignableFrom(raw)
        || AnyType.class.isAssignableFrom(raw)
        || customCodec(raw)) {
      return new Any();
    }
    return new Struct(raw);
  }

  private static Scalar scalar(Class<?> raw) {
    if (raw == String.class || raw == char.class || raw == Character.class || raw.isEnum()) {
      return new Scalar("string", "", raw);
    }
    if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
      return new Scalar("integer", "int32", raw);
    }
    if (raw == Long.class || raw == long.class) {
      return new Scalar("integer", "int64", raw);
    }
    if (raw == Double.class || raw == double.class || raw == Float.class || raw == float.class) {
      return new Scalar("number", "double", raw);
    }
    if (raw == Boolean.class || raw == boolean.class) {
      return new Scalar("boolean", "", raw);
    }
    if (raw == byte[].class) {
      return new Scalar("string", "byte", raw);
    }
    if (raw == Quantity.class || raw == Duration.class) {
      return new Scalar("string", "", raw);
    }
    if (raw == IntOrString.class) {
      return new Scalar("string", "int-or-string", raw);
    }
    if (raw == MicroTime.class) {
      return new Scalar("string", "date-time", raw);
    }
    return null;
  }

  /** True when Jackson (de)serializes the class with its own code rather than as a bean. */
  private static boolean customCodec(Class<?> raw) {
    for (Class<?> c = raw; c != null && c != Object.class; c = c.getSuperclass()) {
      JsonDeserialize d = c.getAnnotation(JsonDeserialize.class);
      if (d != null && d.using() != JsonDeserializer.None.class) {
        return true;
      }
      JsonSerialize s = c.getAnnotation(JsonSerialize.class);
      if (s != null && s.using() != JsonSerializer.None.class) {
        return true;
      }
    }
    return false;
  }
}
