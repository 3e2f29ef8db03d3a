package dev.skiff.controllers.podautoscaler;

import dev.skiff.controllers.framework.ApiResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.List;
import java.util.Optional;

/**
 * The {@code scale} subresource of whatever an autoscaler targets (Deployments, ReplicaSets,
 * StatefulSets, custom resources), found by apiVersion and kind through discovery, which is read
 * again when a kind is not yet known.
 */
final class ScaleTargets {
  private final KubernetesClient client;
  private volatile List<ApiResource> known = List.of();

  ScaleTargets(KubernetesClient client) {
    this.client = client;
  }

  /** Reads the target's scale; fails with upstream's message when the kind is not served. */
  Scale get(String namespace, CrossVersionObjectReference ref) {
    return target(namespace, ref).scale();
  }

  Scale update(String namespace, CrossVersionObjectReference ref, Scale scale) {
    return target(namespace, ref).scale(scale);
  }

  private Resource<GenericKubernetesResource> target(
      String namespace, CrossVersionObjectReference ref) {
    ApiResource r =
        find(ref)
            .or(
                () -> {
                  known = ApiResource.discover(client).resources();
                  return find(ref);
                })
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unable to determine resource for scale target reference: no matches for"
                            + " kind \""
                            + ref.getKind()
                            + "\" in version \""
                            + ref.getApiVersion()
                            + "\""));
    return client
        .genericKubernetesResources(r.context())
        .inNamespace(namespace)
        .withName(ref.getName());
  }

  private Optional<ApiResource> find(CrossVersionObjectReference ref) {
    String apiVersion = ref.getApiVersion() == null ? "" : ref.getApiVersion();
    String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
    return known.stream()
        .filter(r -> r.group().equals(group) && r.kind().equals(ref.getKind()))
        .findFirst();
  }
}
