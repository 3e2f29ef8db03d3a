package dev.skiff.api.schema;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.LimitRangeSpec;
import io.fabric8.kubernetes.api.model.NFSVolumeSource;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeDevice;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.apps.DaemonSetSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSetSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobSpec;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressRuleValue;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.List;
import java.util.Map;

/**
 * Fields upstream's API types mark as required (no {@code omitempty}, {@code +required}): API facts
 * the fabric8 classes do not carry, tabled for the types people write by hand. OpenAPI lists them
 * in {@code required}, which {@code kubectl explain} shows as {@code -required-}.
 */
final class RequiredFields {
  private RequiredFields() {}

  static List<String> of(Class<?> type) {
    return TABLE.getOrDefault(type, List.of());
  }

  private static final Map<Class<?>, List<String>> TABLE =
      Map.ofEntries(
          Map.entry(PodSpec.class, List.of("containers")),
          Map.entry(Container.class, List.of("name")),
          Map.entry(EphemeralContainer.class, List.of("name")),
          Map.entry(ContainerPort.class, List.of("containerPort")),
          Map.entry(EnvVar.class, List.of("name")),
          Map.entry(VolumeMount.class, List.of("name", "mountPath")),
          Map.entry(VolumeDevice.class, List.of("name", "devicePath")),
          Map.entry(Volume.class, List.of("name")),
          Map.entry(KeyToPath.class, List.of("key", "path")),
          Map.entry(ConfigMapKeySelector.class, List.of("key")),
          Map.entry(SecretKeySelector.class, List.of("key")),
          Map.entry(ObjectFieldSelector.class, List.of("fieldPath")),
          Map.entry(ResourceFieldSelector.class, List.of("resource")),
          Map.entry(HTTPGetAction.class, List.of("port")),
          Map.entry(HTTPHeader.class, List.of("name", "value")),
          Map.entry(TCPSocketAction.class, List.of("port")),
          Map.entry(GRPCAction.class, List.of("port")),
          Map.entry(HostPathVolumeSource.class, List.of("path")),
          Map.entry(NFSVolumeSource.class, List.of("server", "path")),
          Map.entry(PersistentVolumeClaimVolumeSource.class, List.of("claimName")),
          Map.entry(Sysctl.class, List.of("name", "value")),
          Map.entry(NodeSelector.class, List.of("nodeSelectorTerms")),
          Map.entry(NodeSelectorRequirement.class, List.of("key", "operator")),
          Map.entry(PreferredSchedulingTerm.class, List.of("weight", "preference")),
          Map.entry(PodAffinityTerm.class, List.of("topologyKey")),
          Map.entry(WeightedPodAffinityTerm.class, List.of("weight", "podAffinityTerm")),
          Map.entry(
              TopologySpreadConstraint.class,
              List.of("maxSkew", "topologyKey", "whenUnsatisfiable")),
          Map.entry(Taint.class, List.of("key", "effect")),
          Map.entry(PodCondition.class, List.of("type", "status")),
          Map.entry(
              ContainerStatus.class, List.of("name", "ready", "restartCount", "image", "imageID")),
          Map.entry(NodeCondition.class, List.of("type", "status")),
          Map.entry(NodeAddress.class, List.of("type", "address")),
          Map.entry(ServicePort.class, List.of("port")),
          Map.entry(EndpointAddress.class, List.of("ip")),
          Map.entry(EndpointPort.class, List.of("port")),
          Map.entry(Binding.class, List.of("target")),
          Map.entry(LimitRangeSpec.class, List.of("limits")),
          Map.entry(LimitRangeItem.class, List.of("type")),
          Map.entry(LabelSelectorRequirement.class, List.of("key", "operator")),
          Map.entry(OwnerReference.class, List.of("apiVersion", "kind", "name", "uid")),
          Map.entry(DeploymentSpec.class, List.of("selector", "template")),
          Map.entry(DeploymentCondition.class, List.of("type", "status")),
          Map.entry(ReplicaSetSpec.class, List.of("selector")),
          Map.entry(DaemonSetSpec.class, List.of("selector", "template")),
          Map.entry(StatefulSetSpec.class, List.of("selector", "template")),
          Map.entry(JobSpec.class, List.of("template")),
          Map.entry(JobCondition.class, List.of("type", "status")),
          Map.entry(CronJobSpec.class, List.of("schedule", "jobTemplate")),
          Map.entry(EndpointSlice.class, List.of("addressType", "endpoints")),
          Map.entry(Endpoint.class, List.of("addresses")),
          Map.entry(HTTPIngressPath.class, List.of("pathType", "backend")),
          Map.entry(HTTPIngressRuleValue.class, List.of("paths")),
          Map.entry(IngressServiceBackend.class, List.of("name")),
          Map.entry(RoleRef.class, List.of("apiGroup", "kind", "name")),
          Map.entry(Subject.class, List.of("kind", "name")),
          Map.entry(PolicyRule.class, List.of("verbs")),
          Map.entry(RoleBinding.class, List.of("roleRef")),
          Map.entry(ClusterRoleBinding.class, List.of("roleRef")),
          Map.entry(PriorityClass.class, List.of("value")),
          Map.entry(StorageClass.class, List.of("provisioner")));
}
