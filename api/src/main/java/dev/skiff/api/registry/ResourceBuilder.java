package dev.skiff.api.registry;

import dev.skiff.api.ResourceType;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Fluent description of one built-in resource, so the catalog reads like discovery output. */
final class ResourceBuilder {

  /** The verbs of a resource with the full REST storage. */
  static final Set<String> ALL_VERBS =
      verbs("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  /** Review-style resources that only accept a POST and answer in the response body. */
  static final Set<String> CREATE_ONLY = verbs("create");

  private final String group;
  private final String version;
  private final String kind;
  private final String plural;
  private final Class<? extends KubernetesResource> javaType;
  private boolean namespaced = true;
  private List<String> shortNames = List.of();
  private List<String> categories = List.of();
  private Set<String> verbs = ALL_VERBS;
  private List<String> subresources = List.of();
  private String storageVersion;

  private ResourceBuilder(
      String group,
      String version,
      String kind,
      String plural,
      Class<? extends KubernetesResource> javaType) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.plural = plural;
    this.javaType = javaType;
    this.storageVersion = version;
  }

  static ResourceBuilder resource(
      String groupVersion, String kind, String plural, Class<? extends KubernetesResource> type) {
    int slash = groupVersion.indexOf('/');
    String group = slash < 0 ? "" : groupVersion.substring(0, slash);
    String version = groupVersion.substring(slash + 1);
    return new ResourceBuilder(group, version, kind, plural, type);
  }

  static Set<String> verbs(String... names) {
    return Collections.unmodifiableSortedSet(new TreeSet<>(List.of(names)));
  }

  ResourceBuilder clusterScoped() {
    namespaced = false;
    return this;
  }

  ResourceBuilder shortNames(String... names) {
    shortNames = List.of(names);
    return this;
  }

  /** Puts the resource in the {@code all} category that {@code kubectl get all} expands. */
  ResourceBuilder inAll() {
    categories = List.of("all");
    return this;
  }

  ResourceBuilder verbs(Set<String> allowed) {
    verbs = allowed;
    return this;
  }

  ResourceBuilder subresources(String... names) {
    subresources = List.of(names);
    return this;
  }

  ResourceBuilder storedAs(String version) {
    storageVersion = version;
    return this;
  }

  ResourceType build() {
    return new ResourceType(
        group,
        version,
        kind,
        plural,
        kind.toLowerCase(Locale.ROOT),
        namespaced,
        shortNames,
        categories,
        verbs,
        subresources,
        javaType,
        storageVersion);
  }
}
