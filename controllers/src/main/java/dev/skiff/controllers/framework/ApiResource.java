package dev.skiff.controllers.framework;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A resource the API server serves, as discovery reports it: what the garbage collector and the
 * namespace controller act on without knowing any kind in advance.
 */
public record ApiResource(
    String group,
    String version,
    String plural,
    String kind,
    boolean namespaced,
    Set<String> verbs) {

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** "pods" or "deployments.apps", as upstream names resources in messages. */
  public String qualifiedName() {
    return group.isEmpty() ? plural : plural + "." + group;
  }

  public boolean supports(String... required) {
    return verbs.containsAll(List.of(required));
  }

  public ResourceDefinitionContext context() {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(namespaced)
        .build();
  }

  /** Discovery failed for some group versions; the resources of the others were found. */
  public record Discovered(List<ApiResource> resources, List<String> failedGroupVersions) {}

  /** Every top-level resource (no subresources) of the preferred version of each group. */
  public static Discovered discover(KubernetesClient client) {
    List<ApiResource> resources = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<String> groupVersions = new ArrayList<>();
    groupVersions.add("v1");
    for (APIGroup group : client.getApiGroups().getGroups()) {
      if (group.getPreferredVersion() != null) {
        groupVersions.add(group.getPreferredVersion().getGroupVersion());
      } else if (!group.getVersions().isEmpty()) {
        groupVersions.add(group.getVersions().getFirst().getGroupVersion());
      }
    }
    for (String groupVersion : groupVersions) {
      String group =
          groupVersion.contains("/") ? groupVersion.substring(0, groupVersion.indexOf('/')) : "";
      String version = groupVersion.substring(groupVersion.indexOf('/') + 1);
      try {
        var list = client.getApiResources(groupVersion);
        if (list == null) {
          failed.add(groupVersion);
          continue;
        }
        for (APIResource r : list.getResources()) {
          if (r.getName().contains("/")) {
            continue;
          }
          resources.add(
              new ApiResource(
                  group,
                  version,
                  r.getName(),
                  r.getKind(),
                  Boolean.TRUE.equals(r.getNamespaced()),
                  Set.copyOf(r.getVerbs())));
        }
      } catch (KubernetesClientException e) {
        failed.add(groupVersion);
      }
    }
    return new Discovered(resources, failed);
  }
}
