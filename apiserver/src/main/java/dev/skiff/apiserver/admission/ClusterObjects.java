package dev.skiff.apiserver.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceRegistry;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.registry.Codec;
import dev.skiff.apiserver.registry.ResourceStore;
import dev.skiff.storage.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The objects admission plugins consult (quotas, limit ranges, service accounts, classes), read
 * from storage rather than a cache so that a quota charge always starts from the latest usage.
 */
public final class ClusterObjects {
  private final ResourceStore store;
  private final ResourceRegistry registry;

  public ClusterObjects(ResourceStore store, ResourceRegistry registry) {
    this.store = store;
    this.registry = registry;
  }

  public ResourceStore store() {
    return store;
  }

  /** The served type of {@code group/version/plural}; the registry always knows built-ins. */
  public ResourceType type(String group, String version, String plural) {
    return registry.find(group, version, plural).orElseThrow();
  }

  /**
   * Every object of {@code t} in {@code namespace} ("" for cluster-scoped), in the served shape.
   */
  public List<ObjectNode> list(ResourceType t, String namespace) {
    String prefix = store.codec().storageType(t).storagePrefix();
    if (t.namespaced()) {
      prefix += namespace + "/";
    }
    List<ObjectNode> out = new ArrayList<>();
    for (KeyValue kv : store.store().list(prefix, null, 0, 0).kvs()) {
      out.add(store.codec().toServed(Codec.decode(kv), t));
    }
    return out;
  }

  public Optional<ObjectNode> get(ResourceType t, String namespace, String name) {
    return store.read(t, namespace, name);
  }
}
