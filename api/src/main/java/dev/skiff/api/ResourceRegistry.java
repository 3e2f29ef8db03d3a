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

  ResourceStrategy strategy(ResourceType type);

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
