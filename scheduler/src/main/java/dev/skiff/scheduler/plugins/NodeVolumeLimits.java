package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.CSINode;
import io.fabric8.kubernetes.api.model.storage.CSINodeDriver;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Caps the CSI volumes attached to a node per driver, as upstream's CSI limits plugin: a claim
 * counts for its bound volume's CSI driver and handle, or, while unbound, for its StorageClass's
 * provisioner; a volume shared by pods on the node counts once. Limits come from the node's CSINode
 * ({@code spec.drivers[].allocatable.count}) and from {@code attachable-volumes-*} resources in the
 * node's allocatable.
 */
public final class NodeVolumeLimits implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeVolumeLimits";
  public static final String ERR_MAX_VOLUME_COUNT = "node(s) exceed max volume count";
  static final String ATTACHABLE_PREFIX = "attachable-volumes-";
  static final String CSI_LIMIT_PREFIX = ATTACHABLE_PREFIX + "csi-";
  private static final int RESOURCE_NAME_LIMIT = 63;

  private final Handle handle;

  public NodeVolumeLimits(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  /** Pods without claims (most: their projected token volume never counts) skip the Filter. */
  @Override
  public Status preFilter(CycleState state, Pod pod) {
    boolean claims =
        volumes(pod).stream()
            .anyMatch(v -> v.getPersistentVolumeClaim() != null || v.getEphemeral() != null);
    return claims ? Status.SUCCESS : Status.SKIP;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    Map<String, String> wanted = new HashMap<>();
    String missing = attachableVolumes(pod, true, wanted);
    if (missing != null) {
      return Status.unresolvable(missing);
    }
    if (wanted.isEmpty()) {
      return Status.SUCCESS;
    }
    Map<String, Long> limits = limits(nodeInfo);
    if (limits.isEmpty()) {
      return Status.SUCCESS;
    }
    Map<String, String> attached = new HashMap<>();
    for (PodInfo existing : nodeInfo.pods()) {
      attachableVolumes(existing.pod(), false, attached);
    }
    Map<String, Integer> attachedCount = new HashMap<>();
    for (Map.Entry<String, String> e : attached.entrySet()) {
      wanted.remove(e.getKey());
      attachedCount.merge(e.getValue(), 1, Integer::sum);
    }
    Map<String, Integer> wantedCount = new HashMap<>();
    wanted.values().forEach(limitKey -> wantedCount.merge(limitKey, 1, Integer::sum));
    for (Map.Entry<String, Integer> e : wantedCount.entrySet()) {
      Long limit = limits.get(e.getKey());
      if (limit != null && attachedCount.getOrDefault(e.getKey(), 0) + e.getValue() > limit) {
        return Status.unschedulable(ERR_MAX_VOLUME_COUNT);
      }
    }
    return Status.SUCCESS;
  }

  /**
   * Adds the pod's CSI volumes to {@code out} (unique volume name to limit key).
   *
   * @return why the pod cannot run, for a pod being scheduled whose claim is missing; else null
   */
  private String attachableVolumes(Pod pod, boolean newPod, Map<String, String> out) {
    String ns = pod.getMetadata().getNamespace();
    for (Volume v : volumes(pod)) {
      String claimName;
      if (v.getPersistentVolumeClaim() != null) {
        claimName = v.getPersistentVolumeClaim().getClaimName();
      } else if (v.getEphemeral() != null) {
        claimName = pod.getMetadata().getName() + "-" + v.getName();
      } else {
        continue; // inline volumes are not CSI volumes here: no in-tree driver is migrated
      }
      PersistentVolumeClaim claim = handle.objects().claim(ns, claimName);
      if (claim == null) {
        if (newPod) {
          return "looking up PVC "
              + ns
              + "/"
              + claimName
              + ": persistentvolumeclaim \""
              + claimName
              + "\" not found";
        }
        continue; // an unknown claim of a running pod may not be attached at all
      }
      String[] driverAndHandle = driverAndHandle(ns, claim);
      if (driverAndHandle != null) {
        out.put(driverAndHandle[0] + "/" + driverAndHandle[1], limitKey(driverAndHandle[0]));
      }
    }
    return null;
  }

  /** The claim's CSI driver and volume handle, or null when it is not a CSI volume. */
  private String[] driverAndHandle(String ns, PersistentVolumeClaim claim) {
    String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
    PersistentVolume pv =
        volumeName == null || volumeName.isEmpty() ? null : handle.objects().volume(volumeName);
    if (pv != null) {
      var csi = pv.getSpec() == null ? null : pv.getSpec().getCsi();
      return csi == null ? null : new String[] {csi.getDriver(), csi.getVolumeHandle()};
    }
    // not bound yet (or its volume not seen yet): it will be provisioned by its class's driver
    String className = claim.getSpec() == null ? null : claim.getSpec().getStorageClassName();
    StorageClass sc = handle.objects().storageClass(className);
    if (sc == null || sc.getProvisioner() == null) {
      return null;
    }
    String placeholder = "pending-" + ns + "/" + claim.getMetadata().getName();
    return new String[] {sc.getProvisioner(), placeholder};
  }

  private Map<String, Long> limits(NodeInfo nodeInfo) {
    Map<String, Long> limits = new HashMap<>();
    Map<String, Quantity> allocatable =
        nodeInfo.node().getStatus() == null ? null : nodeInfo.node().getStatus().getAllocatable();
    if (allocatable != null) {
      allocatable.forEach(
          (name, q) -> {
            if (name.startsWith(ATTACHABLE_PREFIX)) {
              limits.put(name, q.getNumericalAmount().longValue());
            }
          });
    }
    CSINode csiNode = handle.objects().csiNode(nodeInfo.name());
    if (csiNode != null && csiNode.getSpec() != null && csiNode.getSpec().getDrivers() != null) {
      for (CSINodeDriver d : csiNode.getSpec().getDrivers()) {
        if (d.getAllocatable() != null && d.getAllocatable().getCount() != null) {
          limits.put(limitKey(d.getName()), d.getAllocatable().getCount().longValue());
        }
      }
    }
    return limits;
  }

  /**
   * The resource name of a driver's limit, {@code attachable-volumes-csi-<driver>}; a name too long
   * for a resource keeps the driver's first 23 characters and 16 hex digits of its SHA-1, as
   * upstream.
   */
  static String limitKey(String driver) {
    if (CSI_LIMIT_PREFIX.length() + driver.length() < RESOURCE_NAME_LIMIT) {
      return CSI_LIMIT_PREFIX + driver;
    }
    try {
      byte[] sha1 =
          MessageDigest.getInstance("SHA-1").digest(driver.getBytes(StandardCharsets.UTF_8));
      return CSI_LIMIT_PREFIX + driver.substring(0, 23) + HexFormat.of().formatHex(sha1, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-1", e);
    }
  }

  private static List<Volume> volumes(Pod pod) {
    List<Volume> volumes = pod.getSpec() == null ? null : pod.getSpec().getVolumes();
    return volumes == null ? List.of() : volumes;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.ASSIGNED_POD_DELETE,
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE),
        new ClusterEvent(ClusterEvent.Kind.CSI_NODE, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.CSI_NODE, ClusterEvent.Action.UPDATE),
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME_CLAIM, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME, ClusterEvent.Action.ADD));
  }
}
