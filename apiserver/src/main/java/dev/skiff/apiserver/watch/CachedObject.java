package dev.skiff.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.registry.ObjectMeta;
import dev.skiff.storage.KeyValue;
import java.util.Map;

/**
 * One object as the watch cache holds it: the storage-version tree with its resourceVersion, and
 * its JSON encoding (and watch event frame), each computed once and shared by every watcher and
 * list.
 *
 * <p>An object that came from the store is kept as its stored bytes until something asks for its
 * tree or its labels: most cached objects are never looked into (a watcher without a label or field
 * selector is sent the JSON, spliced from the stored bytes), and a tree costs several times the
 * bytes' memory and, while young, the garbage collector's copying.
 */
public final class CachedObject {
  private final String key;
  private final long revision;
  private final String namespace;
  private final String name;
  // The stored value, for an object built from the store; null for one built from a tree.
  private final KeyValue stored;
  private volatile ObjectNode object;
  private volatile Map<String, String> labels;
  private volatile byte[] json;
  // The last event frame built from json(): an object is nearly always sent with one type.
  private volatile Frame frame;

  private record Frame(String type, byte[] bytes) {}

  public CachedObject(String key, ObjectNode object, long revision) {
    this.key = key;
    this.object = object;
    this.revision = revision;
    this.stored = null;
    this.namespace = ObjectMeta.namespace(object);
    this.name = ObjectMeta.name(object);
  }

  /**
   * An object of the resource stored under {@code prefix}, as stored in {@code kv}, with
   * resourceVersion {@code kv}'s mod revision. Its namespace and name are read from the key ({@code
   * prefix + namespace + "/" + name}, or {@code prefix + name}): names hold no slash.
   */
  public CachedObject(String prefix, KeyValue kv) {
    this.key = kv.key();
    this.revision = kv.modRevision();
    this.stored = kv;
    int slash = key.indexOf('/', prefix.length());
    this.namespace = slash < 0 ? "" : key.substring(prefix.length(), slash);
    this.name = key.substring(slash < 0 ? prefix.length() : slash + 1);
  }

  public String key() {
    return key;
  }

  /** Shared; callers copy before modifying. */
  public ObjectNode object() {
    ObjectNode o = object;
    if (o == null) {
      o = Codec.decode(stored);
      object = o;
    }
    return o;
  }

  public long revision() {
    return revision;
  }

  public String namespace() {
    return namespace;
  }

  public String name() {
    return name;
  }

  public Map<String, String> labels() {
    Map<String, String> l = labels;
    if (l == null) {
      l = LabelSelector.labelsOf(object());
      labels = l;
    }
    return l;
  }

  public byte[] json() {
    byte[] j = json;
    if (j == null) {
      ObjectNode o = object;
      j =
          o != null
              ? Json.bytes(o)
              : Codec.decodedJson(stored).orElseGet(() -> Json.bytes(object()));
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
