package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.apiserver.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An object encoded for storage (without resourceVersion) that remembers where its metadata ends,
 * so that the JSON a client is sent once the write has a revision is spliced from the same bytes
 * rather than serialised a second time.
 *
 * @param metadataEnd offset of the metadata object's closing brace, or -1 when there is none
 */
public record StoredJson(byte[] bytes, int metadataEnd, boolean metadataEmpty) {

  /** Encodes {@code storageObj} as {@link Codec#encode} does, byte for byte. */
  public static StoredJson of(ObjectNode storageObj) {
    ByteArrayBuilder out = new ByteArrayBuilder();
    int metadataEnd = -1;
    boolean empty = true;
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : storageObj.properties()) {
        g.writeFieldName(field.getKey());
        JsonNode value = field.getValue();
        if (field.getKey().equals("metadata") && value instanceof ObjectNode metadata) {
          JsonNode rv = metadata.remove("resourceVersion");
          try {
            empty = metadata.isEmpty();
            Json.MAPPER.writeTree(g, metadata);
          } finally {
            if (rv != null) {
              metadata.set("resourceVersion", rv);
            }
          }
          g.flush();
          metadataEnd = out.size() - 1;
        } else if (value.isTextual()) {
          // Each writeTree call sets up a serializer provider; a string needs none.
          g.writeString(value.textValue());
        } else {
          Json.MAPPER.writeTree(g, value);
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] bytes = out.toByteArray();
    return new StoredJson(bytes, metadataEnd, empty);
  }

  /**
   * The object as {@link Codec#decode} would read it back at {@code revision}, serialised:
   * resourceVersion last in metadata. Null when the object has no metadata object.
   */
  public byte[] withResourceVersion(long revision) {
    if (metadataEnd < 0) {
      return null;
    }
    byte[] rv =
        ((metadataEmpty ? "" : ",") + "\"resourceVersion\":\"" + revision + "\"")
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[bytes.length + rv.length];
    System.arraycopy(bytes, 0, out, 0, metadataEnd);
    System.arraycopy(rv, 0, out, metadataEnd, rv.length);
    System.arraycopy(bytes, metadataEnd, out, metadataEnd + rv.length, bytes.length - metadataEnd);
    return out;
  }
}
