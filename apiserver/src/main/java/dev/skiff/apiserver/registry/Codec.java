package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Between stored bytes (storage version, no resourceVersion) and served objects (the requested
 * version, resourceVersion = the key's mod revision), as upstream's storage codec and versioner.
 */
public final class Codec {
  private final ResourceRegistry registry;

  public Codec(ResourceRegistry registry) {
    this.registry = registry;
  }

  /** The resource at its storage version (itself for most). */
  public ResourceType storageType(ResourceType t) {
    return registry.storageType(t);
  }

  /** A stored value at the storage version with resourceVersion set. */
  public static ObjectNode decode(KeyValue kv) {
    ObjectNode obj = Json.parseObject(kv.value());
    Json.metadata(obj).put("resourceVersion", Long.toString(kv.modRevision()));
    return obj;
  }

  /**
   * What serialising {@link #decode(KeyValue)} would send, spliced from the stored bytes without
   * building the tree: resourceVersion goes last in metadata, where {@code decode} puts it. Empty
   * when the bytes do not have the shape that makes that exact (no metadata object, or one that
   * already holds a resourceVersion).
   */
  public static Optional<byte[]> decodedJson(KeyValue kv) {
    byte[] stored = kv.value();
    long metadataEnd = -1;
    try (JsonParser p = Json.MAPPER.createParser(stored)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return Optional.empty();
      }
      boolean empty = true;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (!field.equals("metadata")) {
          p.skipChildren();
          continue;
        }
        if (value != JsonToken.START_OBJECT || metadataEnd >= 0) {
          return Optional.empty();
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          empty = false;
          if (p.currentName().equals("resourceVersion")) {
            return Optional.empty();
          }
          p.nextToken();
          p.skipChildren();
        }
        metadataEnd = p.currentTokenLocation().getByteOffset();
      }
      if (metadataEnd < 0) {
        return Optional.empty();
      }
      byte[] rv =
          ((empty ? "" : ",") + "\"resourceVersion\":\"" + kv.modRevision() + "\"")
              .getBytes(StandardCharsets.UTF_8);
      int at = (int) metadataEnd;
      byte[] out = new byte[stored.length + rv.length];
      System.arraycopy(stored, 0, out, 0, at);
      System.arraycopy(rv, 0, out, at, rv.length);
      System.arraycopy(stored, at, out, at + rv.length, stored.length - at);
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Bytes to store: the storage-version object without resourceVersion. */
  public static byte[] encode(ObjectNode storageObj) {
    ObjectNode m = Json.metadata(storageObj);
    var rv = m.remove("resourceVersion");
    try {
      return Json.bytes(storageObj);
    } finally {
      if (rv != null) {
        m.set("resourceVersion", rv);
      }
    }
  }

  public ObjectNode toStorage(ObjectNode obj, ResourceType served) {
    ResourceType s = storageType(served);
    return s.equals(served) ? obj : registry.convert(obj, served, s);
  }

  public ObjectNode toServed(ObjectNode storageObj, ResourceType served) {
    ResourceType s = storageType(served);
    return s.equals(served) ? storageObj : registry.convert(storageObj, s, served);
  }

  /** Storage key of one object of {@code served}. */
  public String key(ResourceType served, String namespace, String name) {
    return storageType(served).storageKey(namespace, name);
  }
}
