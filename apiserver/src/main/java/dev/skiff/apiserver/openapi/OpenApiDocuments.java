package dev.skiff.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.api.openapi.OpenApiV2;
import dev.skiff.api.openapi.OpenApiV3;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The serialized OpenAPI documents of one registry state, each with the hash that names its
 * version: the ETag, and the {@code hash} query parameter of the v3 index's URLs.
 */
record OpenApiDocuments(
    Document v2, Document v2Protobuf, Document v3Index, Map<String, Document> v3) {

  record Document(byte[] body, String hash) {
    String etag() {
      return '"' + hash + '"';
    }
  }

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static OpenApiDocuments build(ResourceRegistry registry) {
    Map<String, Document> v3 = new LinkedHashMap<>();
    ObjectNode index = MAPPER.createObjectNode();
    ObjectNode paths = index.putObject("paths");
    for (Map.Entry<String, ObjectNode> e : OpenApiV3.documents(registry).entrySet()) {
      Document doc = document(e.getValue());
      v3.put(e.getKey(), doc);
      paths
          .putObject(e.getKey())
          .put("serverRelativeURL", "/openapi/v3/" + e.getKey() + "?hash=" + doc.hash());
    }
    ObjectNode v2 = OpenApiV2.document(registry);
    return new OpenApiDocuments(
        document(v2), hashed(SwaggerProtobuf.encode(v2)), document(index), v3);
  }

  /** What the documents depend on; a change (a custom resource registered) means regenerate. */
  static String fingerprint(ResourceRegistry registry) {
    StringBuilder b = new StringBuilder();
    for (ResourceType t : registry.all()) {
      b.append(t.groupVersion())
          .append('/')
          .append(t.plural())
          .append(':')
          .append(t.kind())
          .append(t.namespaced())
          .append(t.verbs())
          .append(t.subresources())
          .append(t.javaType().getName())
          .append('\n');
    }
    return b.toString();
  }

  private static Document document(ObjectNode json) {
    try {
      return hashed(MAPPER.writeValueAsBytes(json));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize OpenAPI document", e);
    }
  }

  private static Document hashed(byte[] body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-512").digest(body);
      return new Document(body, HexFormat.of().withUpperCase().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 is part of every JDK", e);
    }
  }
}
