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

  /** Encodes {@code storageObj} as {@link Codec#encode} does, field for field. */
  public static StoredJson of(ObjectNode storageObj) {
    ByteArrayBuilder out = new ByteArrayBuilder();
    int metadataEnd = -1;
    boolean empty = true;
    try (JsonGenerator g = Json.MAPPER.createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> field : storageObj.properties()) {
        g.writeFieldName(field.getKey());
        JsonNode value = field.getValue();
        if (!field.getKey().equals("metadata") || !value.isObject()) {
          Json.MAPPER.writeTree(g, value);
          continue;
        }
        g.writeStartObject();
        for (Map.Entry<String, JsonNode> m : value.properties()) {
          if (m.getKey().equals("resourceVersion")) {
            continue;
          }
          empty = false;
          g.writeFieldName(m.getKey());
          Json.MAPPER.writeTree(g, m.getValue());
        }
        g.flush();
        metadataEnd = out.size();
        g.writeEndObject();
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
