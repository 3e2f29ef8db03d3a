package dev.skiff.api.openapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.api.patch.PatchMeta;
import dev.skiff.api.schema.ModelType;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ListMeta;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The schema definitions of one OpenAPI document, built by walking fabric8 model classes: every
 * class reachable from the ones added gets a definition under its upstream name.
 */
final class Schemas {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final DefinitionNames names;
  private final Flavor flavor;
  private final Map<String, ObjectNode> definitions = new TreeMap<>();

  Schemas(DefinitionNames names, Flavor flavor) {
    this.names = names;
    this.flavor = flavor;
  }

  /** A reference to the definition of {@code type}, adding it (and what it uses) if new. */
  ObjectNode ref(Class<?> type) {
    String name = add(type);
    return JSON.objectNode().put("$ref", flavor.refPrefix + name);
  }

  /** Marks the definition of {@code type} as the schema of a kind, as kubectl explain looks up. */
  void kind(Class<?> type, String group, String version, String kind) {
    ObjectNode def = definitions.get(add(type));
    ArrayNode gvks =
        def.has("x-kubernetes-group-version-kind")
            ? (ArrayNode) def.get("x-kubernetes-group-version-kind")
            : def.putArray("x-kubernetes-group-version-kind");
    gvks.addObject().put("group", group).put("kind", kind).put("version", version);
  }

  /**
   * A resource served without a model class (a custom resource): apiVersion, kind and metadata are
   * known, the rest is kept as sent. Named as upstream names CRD schemas: the reversed group, then
   * version and kind ({@code com.example.stable.v1.CronTab}).
   */
  ObjectNode custom(ResourceType t) {
    ObjectNode def = JSON.objectNode().put("type", "object");
    ObjectNode props = def.putObject("properties");
    props.putObject("apiVersion").put("type", "string");
    props.putObject("kind").put("type", "string");
    props.set("metadata", ref(ObjectMeta.class));
    def.put("x-kubernetes-preserve-unknown-fields", true);
    def.putArray("x-kubernetes-group-version-kind")
        .addObject()
        .put("group", t.group())
        .put("kind", t.kind())
        .put("version", t.version());
    return named(customName(t, t.kind()), def);
  }

  ObjectNode customList(ResourceType t) {
    ObjectNode def = JSON.objectNode().put("type", "object");
    ObjectNode props = def.putObject("properties");
    props.putObject("apiVersion").put("type", "string");
    props.putObject("kind").put("type", "string");
    props.set("metadata", ref(ListMeta.class));
    props.putObject("items").put("type", "array").set("items", custom(t));
    def.putArray("required").add("items");
    def.putArray("x-kubernetes-group-version-kind")
        .addObject()
        .put("group", t.group())
        .put("kind", t.listKind())
        .put("version", t.version());
    return named(customName(t, t.listKind()), def);
  }

  private static String customName(ResourceType t, String kind) {
    List<String> labels = new ArrayList<>(List.of(t.group().split("\\.")));
    Collections.reverse(labels);
    return String.join(".", labels) + "." + t.version() + "." + kind;
  }

  /** A definition that no model class describes, e.g. meta/v1 Patch. */
  ObjectNode named(String name, ObjectNode schema) {
    definitions.putIfAbsent(name, schema);
    return JSON.objectNode().put("$ref", flavor.refPrefix + name);
  }

  ObjectNode definitions() {
    ObjectNode out = JSON.objectNode();
    definitions.forEach(out::set);
    return out;
  }

  private String add(Class<?> type) {
    String name = names.of(type);
    if (definitions.containsKey(name)) {
      return name;
    }
    ObjectNode def = JSON.objectNode();
    definitions.put(name, def);
    if (type == Quantity.class || type == IntOrString.class) {
      scalarUnion(type, def);
    } else if (type == MicroTime.class) {
      def.put("type", "string").put("format", "date-time");
    } else if (ModelType.of(type) instanceof ModelType.Struct s) {
      describe(s, def);
    } else {
      def.put("type", "object");
    }
    return name;
  }

  /**
   * Quantity and IntOrString accept a string or a number in JSON. OpenAPI 2 can only say string;
   * OpenAPI 3 says oneOf, as upstream does (and kubectl explain then names the type).
   */
  private void scalarUnion(Class<?> type, ObjectNode def) {
    boolean quantity = type == Quantity.class;
    if (flavor == Flavor.V2) {
      def.put("type", "string");
    } else {
      ArrayNode oneOf = def.putArray("oneOf");
      oneOf.addObject().put("type", quantity ? "string" : "integer");
      oneOf.addObject().put("type", quantity ? "number" : "string");
    }
    if (!quantity) {
      def.put("format", "int-or-string");
      if (flavor == Flavor.V3) {
        def.put("x-kubernetes-int-or-string", true);
      }
    }
  }

  private void describe(ModelType.Struct struct, ObjectNode def) {
    def.put("type", "object");
    ObjectNode props = JSON.objectNode();
    ArrayNode required = JSON.arrayNode();
    for (ModelType.Property p : struct.properties().values()) {
      ObjectNode schema = schema(p.type());
      PatchMeta meta = PatchMeta.of(struct.javaClass(), p.name());
      if (meta != PatchMeta.NONE && schema.has("$ref") && flavor == Flavor.V3) {
        // OpenAPI 3.0 ignores siblings of $ref, so upstream wraps the reference.
        ObjectNode wrapped = JSON.objectNode();
        wrapped.putArray("allOf").add(schema);
        schema = wrapped;
      }
      if (!meta.mergeKey().isEmpty()) {
        schema.put("x-kubernetes-patch-merge-key", meta.mergeKey());
      }
      if (!meta.strategy().isEmpty()) {
        schema.put("x-kubernetes-patch-strategy", meta.strategy());
      }
      props.set(p.name(), schema);
      if (p.required()) {
        required.add(p.name());
      }
    }
    if (!required.isEmpty()) {
      def.set("required", required);
    }
    if (!props.isEmpty()) {
      def.set("properties", props);
    }
  }

  private ObjectNode schema(ModelType type) {
    return switch (type) {
      case ModelType.Scalar s
          when s.javaClass() == Quantity.class
              || s.javaClass() == IntOrString.class
              || s.javaClass() == MicroTime.class ->
          ref(s.javaClass());
      case ModelType.Scalar s -> {
        ObjectNode out = JSON.objectNode().put("type", s.type());
        if (!s.format().isEmpty()) {
          out.put("format", s.format());
        }
        yield out;
      }
      case ModelType.Array a -> {
        ObjectNode out = JSON.objectNode().put("type", "array");
        out.set("items", schema(a.items()));
        yield out;
      }
      case ModelType.Dictionary d -> {
        ObjectNode out = JSON.objectNode().put("type", "object");
        out.set("additionalProperties", schema(d.values()));
        yield out;
      }
      case ModelType.Struct s -> ref(s.javaClass());
      case ModelType.Any a -> JSON.objectNode().put("type", "object");
    };
  }
}
