package dev.skiff.api.patch;

import io.fabric8.kubernetes.api.model.ComponentStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.ReplicationControllerStatus;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.storage.CSINodeSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code patchStrategy} and {@code patchMergeKey} of one field, as declared on upstream's Go
 * types (k8s.io/api). These are API facts the fabric8 classes do not carry, so they are tabled here
 * by (fabric8 class, JSON field). A field not in the table has no strategy: its lists are replaced
 * and its maps merged.
 *
 * @param merge lists are merged (by {@code mergeKey} for lists of objects, as a set for scalars)
 * @param retainKeys patches may carry {@code $retainKeys}, clearing the other keys (union types)
 * @param mergeKey the key that identifies an element of a merged list of objects, or ""
 */
public record PatchMeta(boolean merge, boolean retainKeys, String mergeKey) {

  public static final PatchMeta NONE = new PatchMeta(false, false, "");

  /** The strategy of {@code field} of {@code type}; {@link #NONE} when upstream declares none. */
  public static PatchMeta of(Class<?> type, String field) {
    Map<String, PatchMeta> fields = TABLE.get(type);
    PatchMeta meta = fields == null ? null : fields.get(field);
    return meta == null ? NONE : meta;
  }

  /** Upstream's tag text, e.g. {@code merge,retainKeys}; empty when there is no strategy. */
  public String strategy() {
    if (merge && retainKeys) {
      return "merge,retainKeys";
    }
    return merge ? "merge" : retainKeys ? "retainKeys" : "";
  }

  private static final Map<Class<?>, Map<String, PatchMeta>> TABLE = new HashMap<>();

  private static void merge(Class<?> type, String field, String key) {
    TABLE.computeIfAbsent(type, t -> new HashMap<>()).put(field, new PatchMeta(true, false, key));
  }

  private static void mergeRetainingKeys(Class<?> type, String field, String key) {
    TABLE.computeIfAbsent(type, t -> new HashMap<>()).put(field, new PatchMeta(true, true, key));
  }

  private static void retainKeys(Class<?> type, String field) {
    TABLE.computeIfAbsent(type, t -> new HashMap<>()).put(field, new PatchMeta(false, true, ""));
  }

  static {
    merge(ObjectMeta.class, "finalizers", "");
    merge(ObjectMeta.class, "ownerReferences", "uid");

    mergeRetainingKeys(PodSpec.class, "volumes", "name");
    merge(PodSpec.class, "initContainers", "name");
    merge(PodSpec.class, "containers", "name");
    merge(PodSpec.class, "ephemeralContainers", "name");
    merge(PodSpec.class, "imagePullSecrets", "name");
    merge(PodSpec.class, "hostAliases", "ip");
    merge(PodSpec.class, "topologySpreadConstraints", "topologyKey");
    mergeRetainingKeys(PodSpec.class, "resourceClaims", "name");
    merge(PodSpec.class, "schedulingGates", "name");
    for (Class<?> c : new Class<?>[] {Container.class, EphemeralContainer.class}) {
      merge(c, "ports", "containerPort");
      merge(c, "env", "name");
      merge(c, "volumeMounts", "mountPath");
      merge(c, "volumeDevices", "devicePath");
    }
    merge(PodStatus.class, "conditions", "type");
    merge(PodStatus.class, "podIPs", "ip");
    merge(PodStatus.class, "hostIPs", "ip");
    mergeRetainingKeys(PodStatus.class, "resourceClaimStatuses", "name");

    merge(NodeSpec.class, "podCIDRs", "");
    merge(NodeStatus.class, "conditions", "type");
    merge(NodeStatus.class, "addresses", "type");
    merge(ServiceSpec.class, "ports", "port");
    merge(ServiceStatus.class, "conditions", "type");
    merge(ServiceAccount.class, "secrets", "name");
    merge(NamespaceStatus.class, "conditions", "type");
    merge(PersistentVolumeClaimStatus.class, "conditions", "type");
    merge(ReplicationControllerStatus.class, "conditions", "type");
    merge(ComponentStatus.class, "conditions", "type");

    retainKeys(DeploymentSpec.class, "strategy");
    merge(DeploymentStatus.class, "conditions", "type");
    merge(ReplicaSetStatus.class, "conditions", "type");
    merge(StatefulSetStatus.class, "conditions", "type");
    merge(DaemonSetStatus.class, "conditions", "type");
    merge(JobStatus.class, "conditions", "type");
    merge(HorizontalPodAutoscalerStatus.class, "conditions", "type");
    merge(PodDisruptionBudgetStatus.class, "conditions", "type");
    merge(CSINodeSpec.class, "drivers", "name");
  }
}
