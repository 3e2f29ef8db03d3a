package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Encodes the Swagger 2.0 document as the protocol buffer kubectl asks for at {@code /openapi/v2}
 * (gnostic's {@code openapi.v2.Document}). Covers what our generator emits: paths with operations,
 * query/path/body parameters and responses; definitions with types, formats, references, items,
 * additional properties, required and vendor extensions (carried as YAML text, which JSON is).
 */
final class SwaggerProtobuf {
  private SwaggerProtobuf() {}

  static byte[] encode(JsonNode doc) {
    ProtoWriter w = new ProtoWriter().string(1, doc.path("swagger").asText());
    JsonNode info = doc.path("info");
    w.message(
        2,
        new ProtoWriter()
            .string(1, info.path("title").asText())
            .string(2, info.path("version").asText()));
    ProtoWriter paths = new ProtoWriter();
    for (Map.Entry<String, JsonNode> p : doc.path("paths").properties()) {
      paths.message(2, new ProtoWriter().string(1, p.getKey()).message(2, pathItem(p.getValue())));
    }
    w.message(8, paths);
    ProtoWriter definitions = new ProtoWriter();
    for (Map.Entry<String, JsonNode> d : doc.path("definitions").properties()) {
      definitions.message(
          1, new ProtoWriter().string(1, d.getKey()).message(2, schema(d.getValue())));
    }
    w.message(9, definitions);
    for (JsonNode requirement : doc.path("security")) {
      ProtoWriter req = new ProtoWriter();
      for (Map.Entry<String, JsonNode> e : requirement.properties()) {
        ProtoWriter scopes = new ProtoWriter();
        e.getValue().forEach(s -> scopes.string(1, s.asText()));
        req.message(1, new ProtoWriter().string(1, e.getKey()).message(2, scopes));
      }
      w.message(12, req);
    }
    ProtoWriter securityDefinitions = new ProtoWriter();
    for (Map.Entry<String, JsonNode> e : doc.path("securityDefinitions").properties()) {
      JsonNode s = e.getValue();
      ProtoWriter apiKey =
          new ProtoWriter()
              .string(1, s.path("type").asText())
              .string(2, s.path("name").asText())
              .string(3, s.path("in").asText())
              .string(4, s.path("description").asText());
      securityDefinitions.message(
          1,
          new ProtoWriter().string(1, e.getKey()).message(2, new ProtoWriter().message(2, apiKey)));
    }
    w.message(13, securityDefinitions);
    return w.toByteArray();
  }

  private static ProtoWriter pathItem(JsonNode item) {
    ProtoWriter w = new ProtoWriter();
    String[] methods = {"get", "put", "post", "delete", "options", "head", "patch"};
    for (int i = 0; i < methods.length; i++) {
      if (item.has(methods[i])) {
        w.message(i + 2, operation(item.get(methods[i])));
      }
    }
    for (JsonNode p : item.path("parameters")) {
      w.message(9, parameter(p));
    }
    return w;
  }

  private static ProtoWriter operation(JsonNode op) {
    ProtoWriter w = new ProtoWriter();
    op.path("tags").forEach(t -> w.string(1, t.asText()));
    w.string(3, op.path("description").asText());
    w.string(5, op.path("operationId").asText());
    op.path("produces").forEach(t -> w.string(6, t.asText()));
    op.path("consumes").forEach(t -> w.string(7, t.asText()));
    for (JsonNode p : op.path("parameters")) {
      w.message(8, parameter(p));
    }
    ProtoWriter responses = new ProtoWriter();
    for (Map.Entry<String, JsonNode> r : op.path("responses").properties()) {
      ProtoWriter response = new ProtoWriter().string(1, r.getValue().path("description").asText());
      if (r.getValue().has("schema")) {
        response.message(2, new ProtoWriter().message(1, schema(r.getValue().get("schema"))));
      }
      responses.message(
          1,
          new ProtoWriter()
              .string(1, r.getKey())
              .message(2, new ProtoWriter().message(1, response)));
    }
    w.message(9, responses);
    op.path("schemes").forEach(t -> w.string(10, t.asText()));
    extensions(op, w, 13);
    return w;
  }

  /** A ParametersItem: body parameters carry a schema, query and path ones a primitive type. */
  private static ProtoWriter parameter(JsonNode p) {
    String in = p.path("in").asText();
    ProtoWriter parameter = new ProtoWriter();
    if (in.equals("body")) {
      parameter.message(
          1,
          new ProtoWriter()
              .string(1, p.path("description").asText())
              .string(2, p.path("name").asText())
              .string(3, in)
              .bool(4, p.path("required").asBoolean())
              .message(5, schema(p.path("schema"))));
    } else {
      boolean query = in.equals("query");
      ProtoWriter sub =
          new ProtoWriter()
              .bool(1, p.path("required").asBoolean())
              .string(2, in)
              .string(3, p.path("description").asText())
              .string(4, p.path("name").asText())
              .string(query ? 6 : 5, p.path("type").asText())
              .bool(query ? 20 : 19, p.path("uniqueItems").asBoolean());
      parameter.message(2, new ProtoWriter().message(query ? 3 : 4, sub));
    }
    return new ProtoWriter().message(1, parameter);
  }

  private static ProtoWriter schema(JsonNode s) {
    ProtoWriter w =
        new ProtoWriter()
            .string(1, s.path("$ref").asText())
            .string(2, s.path("format").asText())
            .string(4, s.path("description").asText());
    s.path("required").forEach(r -> w.string(19, r.asText()));
    if (s.has("additionalProperties")) {
      w.message(21, new ProtoWriter().message(1, schema(s.get("additionalProperties"))));
    }
    if (s.has("type")) {
      w.message(22, new ProtoWriter().string(1, s.get("type").asText()));
    }
    if (s.has("items")) {
      w.message(23, new ProtoWriter().message(1, schema(s.get("items"))));
    }
    for (JsonNode a : s.path("allOf")) {
      w.message(24, schema(a));
    }
    if (s.has("properties")) {
      ProtoWriter props = new ProtoWriter();
      for (Map.Entry<String, JsonNode> p : s.get("properties").properties()) {
        props.message(1, new ProtoWriter().string(1, p.getKey()).message(2, schema(p.getValue())));
      }
      w.message(25, props);
    }
    extensions(s, w, 31);
    return w;
  }

  /** {@code x-} members as NamedAny with the value as YAML text (JSON is YAML). */
  private static void extensions(JsonNode node, ProtoWriter w, int field) {
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (e.getKey().startsWith("x-")) {
        ProtoWriter any = new ProtoWriter().string(2, e.getValue().toString() + "\n");
        w.message(field, new ProtoWriter().string(1, e.getKey()).message(2, any));
      }
    }
  }
}
