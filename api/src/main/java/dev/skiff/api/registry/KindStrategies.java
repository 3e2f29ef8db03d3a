package dev.skiff.api.registry;

import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.ResourceType;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.apps.DaemonSetStrategy;
import dev.skiff.api.kinds.apps.DeploymentStrategy;
import dev.skiff.api.kinds.apps.ReplicaSetStrategy;
import dev.skiff.api.kinds.apps.StatefulSetStrategy;
import dev.skiff.api.kinds.batch.CronJobStrategy;
import dev.skiff.api.kinds.batch.JobStrategy;
import dev.skiff.api.kinds.core.ConfigMapStrategy;
import dev.skiff.api.kinds.core.EndpointsStrategy;
import dev.skiff.api.kinds.core.EventStrategy;
import dev.skiff.api.kinds.core.NamespaceStrategy;
import dev.skiff.api.kinds.core.NodeStrategy;
import dev.skiff.api.kinds.core.PersistentVolumeClaimStrategy;
import dev.skiff.api.kinds.core.PersistentVolumeStrategy;
import dev.skiff.api.kinds.core.PodStrategy;
import dev.skiff.api.kinds.core.PodTemplateStrategy;
import dev.skiff.api.kinds.core.ReplicationControllerStrategy;
import dev.skiff.api.kinds.core.ResourceQuotaStrategy;
import dev.skiff.api.kinds.core.SecretStrategy;
import dev.skiff.api.kinds.core.ServiceAccountStrategy;
import dev.skiff.api.kinds.core.ServiceStrategy;
import dev.skiff.api.validation.NameValidation;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Which strategy serves each built-in resource. */
final class KindStrategies {

  private KindStrategies() {}

  /** Resources whose generation upstream bumps on every spec change. */
  private static final Set<String> TRACK_GENERATION =
      Set.of(
          "apps/deployments",
          "apps/replicasets",
          "apps/statefulsets",
          "apps/daemonsets",
          "/replicationcontrollers",
          "batch/jobs",
          "batch/cronjobs",
          "autoscaling/horizontalpodautoscalers",
          "policy/poddisruptionbudgets",
          "networking.k8s.io/ingresses",
          "networking.k8s.io/ingressclasses",
          "networking.k8s.io/networkpolicies");

  /** RBAC objects may be named with anything that fits in a URL path segment. */
  private static final Set<String> PATH_SEGMENT_NAMES =
      Set.of(
          "rbac.authorization.k8s.io/roles",
          "rbac.authorization.k8s.io/rolebindings",
          "rbac.authorization.k8s.io/clusterroles",
          "rbac.authorization.k8s.io/clusterrolebindings");

  /** Kinds with rules of their own, by group/plural. */
  private static final Map<String, Supplier<ResourceStrategy>> SPECIFIC =
      Map.ofEntries(
          Map.entry("/pods", PodStrategy::new),
          Map.entry("/namespaces", NamespaceStrategy::new),
          Map.entry("/services", ServiceStrategy::new),
          Map.entry("/configmaps", ConfigMapStrategy::new),
          Map.entry("/secrets", SecretStrategy::new),
          Map.entry("/nodes", NodeStrategy::new),
          Map.entry("/events", EventStrategy::new),
          Map.entry("/serviceaccounts", ServiceAccountStrategy::new),
          Map.entry("/endpoints", EndpointsStrategy::new),
          Map.entry("/replicationcontrollers", ReplicationControllerStrategy::new),
          Map.entry("/resourcequotas", ResourceQuotaStrategy::new),
          Map.entry("/persistentvolumeclaims", PersistentVolumeClaimStrategy::new),
          Map.entry("/persistentvolumes", PersistentVolumeStrategy::new),
          Map.entry("/podtemplates", PodTemplateStrategy::new),
          Map.entry("apps/deployments", DeploymentStrategy::new),
          Map.entry("apps/replicasets", ReplicaSetStrategy::new),
          Map.entry("apps/statefulsets", StatefulSetStrategy::new),
          Map.entry("apps/daemonsets", DaemonSetStrategy::new),
          Map.entry("batch/jobs", JobStrategy::new),
          Map.entry("batch/cronjobs", CronJobStrategy::new));

  static ResourceStrategy of(ResourceType t) {
    String key = t.group() + "/" + t.plural();
    Supplier<ResourceStrategy> specific = SPECIFIC.get(key);
    if (specific != null) {
      return specific.get();
    }
    NameValidation.NameRule names =
        PATH_SEGMENT_NAMES.contains(key)
            ? NameValidation.PATH_SEGMENT_NAME
            : NameValidation.DNS1123_SUBDOMAIN_NAME;
    return new DefaultStrategy(t.namespaced(), names, TRACK_GENERATION.contains(key));
  }
}
