package dev.skiff.api.registry;

import dev.skiff.api.ResourceStrategy;
import dev.skiff.api.ResourceType;
import dev.skiff.api.kinds.DefaultStrategy;
import dev.skiff.api.kinds.ReviewStrategy;
import dev.skiff.api.kinds.apps.ControllerRevisionStrategy;
import dev.skiff.api.kinds.apps.DaemonSetStrategy;
import dev.skiff.api.kinds.apps.DeploymentStrategy;
import dev.skiff.api.kinds.apps.ReplicaSetStrategy;
import dev.skiff.api.kinds.apps.StatefulSetStrategy;
import dev.skiff.api.kinds.authorization.SubjectAccessReviewStrategy;
import dev.skiff.api.kinds.autoscaling.HorizontalPodAutoscalerStrategy;
import dev.skiff.api.kinds.batch.CronJobStrategy;
import dev.skiff.api.kinds.batch.JobStrategy;
import dev.skiff.api.kinds.certificates.CertificateSigningRequestStrategy;
import dev.skiff.api.kinds.coordination.LeaseStrategy;
import dev.skiff.api.kinds.core.ComponentStatusStrategy;
import dev.skiff.api.kinds.core.ConfigMapStrategy;
import dev.skiff.api.kinds.core.EndpointsStrategy;
import dev.skiff.api.kinds.core.EventStrategy;
import dev.skiff.api.kinds.core.LimitRangeStrategy;
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
import dev.skiff.api.kinds.discovery.EndpointSliceStrategy;
import dev.skiff.api.kinds.networking.IngressClassStrategy;
import dev.skiff.api.kinds.networking.IngressStrategy;
import dev.skiff.api.kinds.networking.NetworkPolicyStrategy;
import dev.skiff.api.kinds.node.RuntimeClassStrategy;
import dev.skiff.api.kinds.policy.PodDisruptionBudgetStrategy;
import dev.skiff.api.kinds.rbac.RoleBindingStrategy;
import dev.skiff.api.kinds.rbac.RoleStrategy;
import dev.skiff.api.kinds.scheduling.PriorityClassStrategy;
import dev.skiff.api.kinds.storage.CSINodeStrategy;
import dev.skiff.api.kinds.storage.StorageClassStrategy;
import dev.skiff.api.kinds.storage.VolumeAttachmentStrategy;
import java.util.Map;
import java.util.function.Supplier;

/** Which strategy serves each built-in resource. */
final class KindStrategies {

  private KindStrategies() {}

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
          Map.entry("/limitranges", LimitRangeStrategy::new),
          Map.entry("apps/deployments", DeploymentStrategy::new),
          Map.entry("apps/replicasets", ReplicaSetStrategy::new),
          Map.entry("apps/statefulsets", StatefulSetStrategy::new),
          Map.entry("apps/daemonsets", DaemonSetStrategy::new),
          Map.entry("batch/jobs", JobStrategy::new),
          Map.entry("batch/cronjobs", CronJobStrategy::new),
          Map.entry("/componentstatuses", ComponentStatusStrategy::new),
          Map.entry("apps/controllerrevisions", ControllerRevisionStrategy::new),
          Map.entry("discovery.k8s.io/endpointslices", EndpointSliceStrategy::new),
          Map.entry("coordination.k8s.io/leases", LeaseStrategy::new),
          Map.entry("rbac.authorization.k8s.io/roles", RoleStrategy::role),
          Map.entry("rbac.authorization.k8s.io/clusterroles", RoleStrategy::clusterRole),
          Map.entry("rbac.authorization.k8s.io/rolebindings", RoleBindingStrategy::roleBinding),
          Map.entry(
              "rbac.authorization.k8s.io/clusterrolebindings",
              RoleBindingStrategy::clusterRoleBinding),
          Map.entry("scheduling.k8s.io/priorityclasses", PriorityClassStrategy::new),
          Map.entry("autoscaling/horizontalpodautoscalers", HorizontalPodAutoscalerStrategy::new),
          Map.entry("policy/poddisruptionbudgets", PodDisruptionBudgetStrategy::new),
          Map.entry("networking.k8s.io/ingresses", IngressStrategy::new),
          Map.entry("networking.k8s.io/ingressclasses", IngressClassStrategy::new),
          Map.entry("networking.k8s.io/networkpolicies", NetworkPolicyStrategy::new),
          Map.entry("storage.k8s.io/storageclasses", StorageClassStrategy::new),
          Map.entry("storage.k8s.io/volumeattachments", VolumeAttachmentStrategy::new),
          Map.entry("storage.k8s.io/csinodes", CSINodeStrategy::new),
          Map.entry(
              "certificates.k8s.io/certificatesigningrequests",
              CertificateSigningRequestStrategy::new),
          Map.entry("node.k8s.io/runtimeclasses", RuntimeClassStrategy::new),
          Map.entry("authentication.k8s.io/tokenreviews", ReviewStrategy::new),
          Map.entry("authentication.k8s.io/selfsubjectreviews", ReviewStrategy::new),
          Map.entry("authorization.k8s.io/selfsubjectrulesreviews", ReviewStrategy::new),
          Map.entry(
              "authorization.k8s.io/subjectaccessreviews", SubjectAccessReviewStrategy::subject),
          Map.entry(
              "authorization.k8s.io/selfsubjectaccessreviews", SubjectAccessReviewStrategy::self),
          Map.entry(
              "authorization.k8s.io/localsubjectaccessreviews",
              SubjectAccessReviewStrategy::local));

  /** The kind's own strategy, or metadata-only rules (DNS-1123 subdomain names). */
  static ResourceStrategy of(ResourceType t) {
    Supplier<ResourceStrategy> specific = SPECIFIC.get(t.group() + "/" + t.plural());
    return specific != null ? specific.get() : new DefaultStrategy(t.namespaced());
  }
}
