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
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Volumes that cannot be shared: a ReadWriteOncePod claim already used by any pod in the cluster
 * keeps every other pod off every node, and the same GCE PD, AWS EBS volume, iSCSI target or RBD
 * image may be mounted by several pods on one node only when all mount it read-only (EBS never).
 */
public final class VolumeRestrictions implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  public static final String NAME = "VolumeRestrictions";
  public static final String ERR_DISK_CONFLICT = "node(s) had no available disk";
  public static final String ERR_READ_WRITE_ONCE_POD_CONFLICT =
      "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access"
          + " mode";
  private static final String STATE_KEY = "PreFilter" + NAME;
  private static final String READ_WRITE_ONCE_POD = "ReadWriteOncePod";

  private final Handle handle;

  /** The pod's ReadWriteOncePod claims (namespace/name) and how many pods already use them. */
  static final class State implements CycleState.Data {
    final Set<String> readWriteOncePodClaims;
    int conflictingClaimUses;

    State(Set<String> readWriteOncePodClaims, int conflictingClaimUses) {
      this.readWriteOncePodClaims = readWriteOncePodClaims;
      this.conflictingClaimUses = conflictingClaimUses;
    }

    @Override
    public CycleState.Data copy() {
      return new State(readWriteOncePodClaims, conflictingClaimUses);
    }
  }

  public VolumeRestrictions(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    List<Volume> volumes = volumes(pod);
    boolean needsDiskCheck = volumes.stream().anyMatch(VolumeRestrictions::isExclusiveDisk);
    String ns = pod.getMetadata().getNamespace();
    Set<String> claims = new HashSet<>();
    for (Volume v : volumes) {
      if (v.getPersistentVolumeClaim() == null) {
        continue;
      }
      String name = v.getPersistentVolumeClaim().getClaimName();
      PersistentVolumeClaim claim = handle.objects().claim(ns, name);
      if (claim == null) {
        return Status.unresolvable("persistentvolumeclaim \"" + name + "\" not found");
      }
      if (claim.getSpec() != null
          && claim.getSpec().getAccessModes() != null
          && claim.getSpec().getAccessModes().contains(READ_WRITE_ONCE_POD)) {
        claims.add(ns + "/" + name);
      }
    }
    int uses = 0;
    if (!claims.isEmpty()) {
      for (NodeInfo node : handle.snapshot().list()) {
        for (PodInfo other : node.pods()) {
          uses += usesOf(other.pod(), claims);
        }
      }
    }
    if (!needsDiskCheck && uses == 0) {
      return Status.SKIP;
    }
    state.write(STATE_KEY, new State(claims, uses));
    return Status.SUCCESS;
  }

  @Override
  public void addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
    State s = state.readOrNull(STATE_KEY, State.class);
    if (s != null) {
      s.conflictingClaimUses += usesOf(podToAdd.pod(), s.readWriteOncePodClaims);
    }
  }

  @Override
  public void removePod(
      CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
    State s = state.readOrNull(STATE_KEY, State.class);
    if (s != null) {
      s.conflictingClaimUses -= usesOf(podToRemove.pod(), s.readWriteOncePodClaims);
    }
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    for (Volume v : volumes(pod)) {
      if (!isExclusiveDisk(v)) {
        continue;
      }
      for (PodInfo other : nodeInfo.pods()) {
        for (Volume existing : volumes(other.pod())) {
          if (conflict(v, existing)) {
            return Status.unschedulable(ERR_DISK_CONFLICT);
          }
        }
      }
    }
    State s = state.readOrNull(STATE_KEY, State.class);
    if (s != null && s.conflictingClaimUses > 0) {
      return Status.unschedulable(ERR_READ_WRITE_ONCE_POD_CONFLICT);
    }
    return Status.SUCCESS;
  }

  /** How many of {@code claims} (namespace/name) the pod mounts. */
  private static int usesOf(Pod pod, Set<String> claims) {
    int n = 0;
    for (Volume v : volumes(pod)) {
      if (v.getPersistentVolumeClaim() != null
          && claims.contains(
              pod.getMetadata().getNamespace()
                  + "/"
                  + v.getPersistentVolumeClaim().getClaimName())) {
        n++;
      }
    }
    return n;
  }

  private static List<Volume> volumes(Pod pod) {
    List<Volume> volumes = pod.getSpec() == null ? null : pod.getSpec().getVolumes();
    return volumes == null ? List.of() : volumes;
  }

  private static boolean isExclusiveDisk(Volume v) {
    return v.getGcePersistentDisk() != null
        || v.getAwsElasticBlockStore() != null
        || v.getIscsi() != null
        || v.getRbd() != null;
  }

  private static boolean conflict(Volume v, Volume e) {
    if (v.getGcePersistentDisk() != null && e.getGcePersistentDisk() != null) {
      var d = v.getGcePersistentDisk();
      var ed = e.getGcePersistentDisk();
      return Objects.equals(d.getPdName(), ed.getPdName())
          && !(readOnly(d.getReadOnly()) && readOnly(ed.getReadOnly()));
    }
    if (v.getAwsElasticBlockStore() != null && e.getAwsElasticBlockStore() != null) {
      return Objects.equals(
          v.getAwsElasticBlockStore().getVolumeID(), e.getAwsElasticBlockStore().getVolumeID());
    }
    if (v.getIscsi() != null && e.getIscsi() != null) {
      return Objects.equals(v.getIscsi().getIqn(), e.getIscsi().getIqn())
          && !(readOnly(v.getIscsi().getReadOnly()) && readOnly(e.getIscsi().getReadOnly()));
    }
    if (v.getRbd() != null && e.getRbd() != null) {
      var r = v.getRbd();
      var er = e.getRbd();
      return haveOverlap(r.getMonitors(), er.getMonitors())
          && Objects.equals(pool(r.getPool()), pool(er.getPool()))
          && Objects.equals(r.getImage(), er.getImage())
          && !(readOnly(r.getReadOnly()) && readOnly(er.getReadOnly()));
    }
    return false;
  }

  private static boolean readOnly(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  /** An unset RBD pool means the default pool, "rbd", as the API defaults it. */
  private static String pool(String pool) {
    return pool == null || pool.isEmpty() ? "rbd" : pool;
  }

  private static boolean haveOverlap(List<String> a, List<String> b) {
    if (a == null || b == null) {
      return false;
    }
    Set<String> set = new HashSet<>(a);
    return b.stream().anyMatch(set::contains);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.ASSIGNED_POD_DELETE,
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME_CLAIM, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME_CLAIM, ClusterEvent.Action.UPDATE));
  }
}
