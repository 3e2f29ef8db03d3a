package dev.skiff.controllers.resourcequota;

import dev.skiff.api.quantity.Quantity;
import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/** Computes what a namespace uses of each resource a quota limits. */
final class QuotaUsage {
  private static final String STORAGE_CLASS_SUFFIX = ".storageclass.storage.k8s.io/";

  /** Resource names that stand for their {@code requests.} form. */
  private static final Set<String> REQUEST_ALIASES = Set.of("cpu", "memory", "ephemeral-storage");

  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<ConfigMap> configMaps;
  private final SharedIndexInformer<Secret> secrets;
  private final SharedIndexInformer<PersistentVolumeClaim> claims;
  private final SharedIndexInformer<ReplicationController> replicationControllers;
  private final SharedIndexInformer<ResourceQuota> quotas;

  QuotaUsage(
      KubernetesClient client,
      SharedIndexInformer<Pod> pods,
      SharedIndexInformer<Service> services,
      SharedIndexInformer<ConfigMap> configMaps,
      SharedIndexInformer<Secret> secrets,
      SharedIndexInformer<PersistentVolumeClaim> claims,
      SharedIndexInformer<ReplicationController> replicationControllers,
      SharedIndexInformer<ResourceQuota> quotas) {
    this.client = client;
    this.pods = pods;
    this.services = services;
    this.configMaps = configMaps;
    this.secrets = secrets;
    this.claims = claims;
    this.replicationControllers = replicationControllers;
    this.quotas = quotas;
  }

  /** The namespace's use of {@code resource}, or empty for a resource we cannot measure. */
  Optional<Quantity> used(String namespace, String resource, QuotaScopes scopes) {
    if (scopes.isScoped()) {
      return podUsage(namespace, resource, scopes::matches);
    }
    Optional<Quantity> pod = podUsage(namespace, resource, p -> true);
    if (pod.isPresent()) {
      return pod;
    }
    return switch (resource) {
      case "services", "count/services" -> count(services, namespace, s -> true);
      case "services.loadbalancers" ->
          count(services, namespace, s -> "LoadBalancer".equals(s.getSpec().getType()));
      case "services.nodeports" -> Optional.of(Quantity.of(nodePorts(namespace)));
      case "configmaps", "count/configmaps" -> count(configMaps, namespace, c -> true);
      case "secrets", "count/secrets" -> count(secrets, namespace, s -> true);
      case "persistentvolumeclaims", "count/persistentvolumeclaims" ->
          count(claims, namespace, c -> true);
      case "replicationcontrollers", "count/replicationcontrollers" ->
          count(replicationControllers, namespace, r -> true);
      case "resourcequotas", "count/resourcequotas" -> count(quotas, namespace, q -> true);
      case "requests.storage" -> Optional.of(storage(namespace, c -> true));
      default -> other(namespace, resource);
    };
  }

  private Optional<Quantity> other(String namespace, String resource) {
    int suffix = resource.indexOf(STORAGE_CLASS_SUFFIX);
    if (suffix > 0) {
      String storageClass = resource.substring(0, suffix);
      Predicate<PersistentVolumeClaim> inClass =
          c -> storageClass.equals(c.getSpec().getStorageClassName());
      return switch (resource.substring(suffix + STORAGE_CLASS_SUFFIX.length())) {
        case "requests.storage" -> Optional.of(storage(namespace, inClass));
        case "persistentvolumeclaims" -> count(claims, namespace, inClass);
        default -> Optional.empty();
      };
    }
    if (resource.startsWith("count/")) {
      return countThroughApi(namespace, resource.substring("count/".length()));
    }
    return Optional.empty();
  }

  private Optional<Quantity> podUsage(String namespace, String resource, Predicate<Pod> scope) {
    List<Pod> charged =
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
            .filter(PodUsage::counts)
            .filter(scope)
            .toList();
    if (resource.equals("pods") || resource.equals("count/pods")) {
      return Optional.of(Quantity.of(charged.size()));
    }
    String name = REQUEST_ALIASES.contains(resource) ? "requests." + resource : resource;
    boolean limits = name.startsWith("limits.");
    if (!limits && !name.startsWith("requests.") || name.equals("requests.storage")) {
      return Optional.empty();
    }
    String compute = name.substring(name.indexOf('.') + 1);
    Quantity sum = null;
    for (Pod pod : charged) {
      Quantity q = PodUsage.effective(pod, limits).get(compute);
      if (q != null) {
        sum = sum == null ? q : sum.add(q);
      }
    }
    return Optional.of(sum == null ? Quantity.of(0) : sum);
  }

  private static <T extends HasMetadata> Optional<Quantity> count(
      SharedIndexInformer<T> informer, String namespace, Predicate<T> filter) {
    return Optional.of(
        Quantity.of(
            informer.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace).stream()
                .filter(filter)
                .count()));
  }

  private long nodePorts(String namespace) {
    long ports = 0;
    for (Service s : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
      String type = s.getSpec().getType();
      if ("NodePort".equals(type) || "LoadBalancer".equals(type)) {
        ports += s.getSpec().getPorts().stream().filter(p -> p.getNodePort() != null).count();
      }
    }
    return ports;
  }

  private Quantity storage(String namespace, Predicate<PersistentVolumeClaim> filter) {
    Quantity sum = null;
    for (PersistentVolumeClaim claim :
        claims.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
      if (!filter.test(claim) || claim.getSpec().getResources() == null) {
        continue;
      }
      var requested = claim.getSpec().getResources().getRequests();
      if (requested != null && requested.containsKey("storage")) {
        Quantity q = Quantity.parse(requested.get("storage").toString());
        sum = sum == null ? q : sum.add(q);
      }
    }
    return sum == null ? Quantity.of(0) : sum;
  }

  /** {@code count/<plural>[.<group>]} of any other resource, counted by listing it. */
  private Optional<Quantity> countThroughApi(String namespace, String qualified) {
    int dot = qualified.indexOf('.');
    String plural = dot < 0 ? qualified : qualified.substring(0, dot);
    String group = dot < 0 ? "" : qualified.substring(dot + 1);
    String version;
    if (group.isEmpty()) {
      version = "v1";
    } else {
      APIGroup apiGroup = client.getApiGroup(group);
      if (apiGroup == null || apiGroup.getPreferredVersion() == null) {
        return Optional.empty();
      }
      version = apiGroup.getPreferredVersion().getVersion();
    }
    var context =
        new ResourceDefinitionContext.Builder()
            .withGroup(group)
            .withVersion(version)
            .withPlural(plural)
            .withNamespaced(true)
            .build();
    int items =
        client.genericKubernetesResources(context).inNamespace(namespace).list().getItems().size();
    return Optional.of(Quantity.of(items));
  }
}
