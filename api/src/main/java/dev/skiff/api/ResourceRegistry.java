package dev.skiff.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Every resource the API server serves, with its strategy and version conversion: the single source
 * for discovery, OpenAPI, routing and storage keys. Custom resources will register here at run time
 * too, so callers must not cache lookups across requests.
 */
public interface ResourceRegistry {

  /** All served resources, every group-version, in discovery order (preferred versions first). */
  Collection<ResourceType> all();

  Optional<ResourceType> find(String group, String version, String plural);

  /** By kind in one group-version, e.g. for a body whose apiVersion/kind is checked. */
  Optional<ResourceType> findByKind(String group, String version, String kind);

  /** Served groups in discovery order, each with its versions, preferred first. */
  List<ApiGroupVersions> groups();

  /**
   * The objects of a resource are validated by and passed to the strategy in the shape of {@link
   * #storageType}: for a served version other than the storage one, the generic code converts
   * first.
   */
  ResourceStrategy strategy(ResourceType type);

  /**
   * Where and in which shape objects of {@code type} are stored: its storage key prefix and the
   * version to {@link #convert} to before writing (and from after reading). Usually the resource at
   * its storage version; resources that upstream stores together (events.k8s.io Events with core
   * Events) share one.
   */
  default ResourceType storageType(ResourceType type) {
    return find(type.group(), type.storageVersion(), type.plural()).orElse(type);
  }

  /**
   * Converts an object between served versions of one resource (e.g. HPA autoscaling/v1 and v2),
   * setting apiVersion and kind; identity apart from apiVersion for most resources.
   */
  ObjectNode convert(ObjectNode obj, ResourceType from, ResourceType to);

  /** One group and its served versions, preferred first. */
  record ApiGroupVersions(String group, List<String> versions) {
    public String preferredVersion() {
      return versions.getFirst();
    }
  }
}
