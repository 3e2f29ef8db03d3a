package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.http.Json;
import dev.skiff.storage.KeyValue;

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
