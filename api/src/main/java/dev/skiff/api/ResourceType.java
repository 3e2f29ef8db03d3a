package dev.skiff.api;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.List;
import java.util.Set;

/**
 * One served resource at one group-version: what discovery lists and what the REST handlers route
 * on, as upstream's APIResource plus where the objects are stored.
 *
 * @param group API group, "" for core
 * @param kind kind in that group-version, e.g. {@code Deployment}
 * @param plural resource name in URLs, e.g. {@code deployments}
 * @param verbs discovery verbs: get, list, watch, create, update, patch, delete, deletecollection
 * @param subresources e.g. status, scale, binding, log, exec; discovery lists them as plural/sub
 * @param javaType the fabric8 model class, for typed checks and OpenAPI schemas
 * @param storageVersion the version objects are stored at (the same for every served version of one
 *     resource); objects are converted on the way in and out
 */
public record ResourceType(
    String group,
    String version,
    String kind,
    String plural,
    String singular,
    boolean namespaced,
    List<String> shortNames,
    List<String> categories,
    Set<String> verbs,
    List<String> subresources,
    Class<? extends KubernetesResource> javaType,
    String storageVersion) {

  public String groupVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The key prefix every object of this resource lives under, whatever version serves it. */
  public String storagePrefix() {
    return group.isEmpty()
        ? "/registry/" + plural + "/"
        : "/registry/" + group + "/" + plural + "/";
  }

  /** Storage key of one object; {@code namespace} is ignored for cluster-scoped resources. */
  public String storageKey(String namespace, String name) {
    return namespaced ? storagePrefix() + namespace + "/" + name : storagePrefix() + name;
  }

  public boolean hasSubresource(String name) {
    return subresources.contains(name);
  }

  /**
   * Discovery verbs of one subresource, as upstream lists them (e.g. status: get, patch, update;
   * exec: create, get); empty when this resource has no such subresource.
   */
  public List<String> subresourceVerbs(String subresource) {
    if (!hasSubresource(subresource)) {
      return List.of();
    }
    return switch (subresource) {
      case "binding", "eviction", "token" -> List.of("create");
      case "log" -> List.of("get");
      case "exec", "attach", "portforward" -> List.of("create", "get");
      case "proxy" -> List.of("create", "delete", "get", "patch", "update");
      case "finalize" -> List.of("update");
      default -> List.of("get", "patch", "update");
    };
  }

  /**
   * The kind a subresource accepts and returns, as aggregated discovery's responseKind: the
   * resource's own kind for status, autoscaling/v1 Scale for scale, and so on.
   */
  public SubresourceKind subresourceKind(String subresource) {
    return switch (subresource) {
      case "scale" -> new SubresourceKind("autoscaling", "v1", "Scale");
      case "binding" -> new SubresourceKind("", "v1", "Binding");
      case "eviction" -> new SubresourceKind("policy", "v1", "Eviction");
      case "token" -> new SubresourceKind("authentication.k8s.io", "v1", "TokenRequest");
      case "exec" -> new SubresourceKind("", "v1", "PodExecOptions");
      case "attach" -> new SubresourceKind("", "v1", "PodAttachOptions");
      case "portforward" -> new SubresourceKind("", "v1", "PodPortForwardOptions");
      case "proxy" -> new SubresourceKind("", "v1", kind + "ProxyOptions");
      default -> new SubresourceKind(group, version, kind);
    };
  }

  /** Group, version and kind of a subresource's body. */
  public record SubresourceKind(String group, String version, String kind) {}

  /** Kind of the list object, e.g. {@code PodList}. */
  public String listKind() {
    return kind + "List";
  }
}
