package dev.skiff.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.ObjectMeta;
import java.util.Map;

/**
 * One object as the watch cache holds it: the storage-version tree with its resourceVersion, parsed
 * once, and its JSON encoding (and watch event frame) computed once and shared by every watcher and
 * list.
 */
public final class CachedObject {
  private final String key;
  private final ObjectNode object;
  private final long revision;
  private final Map<String, String> labels;
  private final String namespace;
  private volatile byte[] json;
  // The last event frame built from json(): an object is nearly always sent with one type.
  private volatile Frame frame;

  private record Frame(String type, byte[] bytes) {}

  public CachedObject(String key, ObjectNode object, long revision) {
    this.key = key;
    this.object = object;
    this.revision = revision;
    this.labels = LabelSelector.labelsOf(object);
    this.namespace = ObjectMeta.namespace(object);
  }

  public String key() {
    return key;
  }

  /** Shared; callers copy before modifying. */
  public ObjectNode object() {
    return object;
  }

  public long revision() {
    return revision;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return ObjectMeta.name(object);
  }

  public Map<String, String> labels() {
    return labels;
  }

  public byte[] json() {
    byte[] j = json;
    if (j == null) {
      j = Json.bytes(object);
      json = j;
    }
    return j;
  }

  /** The watch event carrying this object as stored, encoded once for every watcher. */
  public byte[] frame(String type) {
    Frame f = frame;
    if (f == null || !f.type.equals(type)) {
      f = new Frame(type, WatchFrame.encode(type, json()));
      frame = f;
    }
    return f.bytes;
  }
}
