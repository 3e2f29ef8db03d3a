package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.Resource;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.PreBindPlugin;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.ReservePlugin;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.helper.NodeSelectors;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Places pods with PersistentVolumeClaims: bound claims pin the pod to nodes their volume can
 * reach; WaitForFirstConsumer claims are matched to an available volume on the node, or left to the
 * provisioner with the node recorded on the claim. Immediate claims must already be bound.
 */
public final class VolumeBinding
    implements PreFilterPlugin, FilterPlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  public static final String NAME = "VolumeBinding";
  public static final String ERR_UNBOUND_IMMEDIATE =
      "pod has unbound immediate PersistentVolumeClaims";
  public static final String ERR_NODE_CONFLICT = "node(s) had volume node affinity conflict";
  public static final String ERR_BIND_CONFLICT =
      "node(s) didn't find available persistent volumes to bind";
  public static final String ERR_PV_NOT_EXIST =
      "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)";
  private static final String STATE_KEY = "PreFilter" + NAME;
  private static final String NO_PROVISIONER = "kubernetes.io/no-provisioner";

  private final Handle handle;

  /** PV name to the claim (namespace/name) it was reserved for by a pod in flight. */
  private final Map<String, String> assumedVolumes = new ConcurrentHashMap<>();

  /** A claim's fate on a node: a volume to bind, or provisioning when {@code volume} is null. */
  record Decision(PersistentVolumeClaim claim, PersistentVolume volume) {}

  static final class State implements CycleState.Data {
    final List<PersistentVolumeClaim> bound;
    final List<PersistentVolumeClaim> delayed;
    final Map<String, List<Decision>> decisionsByNode = new ConcurrentHashMap<>();

    State(List<PersistentVolumeClaim> bound, List<PersistentVolumeClaim> delayed) {
      this.bound = bound;
      this.delayed = delayed;
    }

    @Override
    public CycleState.Data copy() {
      State s = new State(bound, delayed);
      s.decisionsByNode.putAll(decisionsByNode);
      return s;
    }
  }

  public VolumeBinding(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  private static List<String> claimNames(Pod pod) {
    List<String> names = new ArrayList<>();
    for (Volume v :
        pod.getSpec().getVolumes() == null ? List.<Volume>of() : pod.getSpec().getVolumes()) {
      if (v.getPersistentVolumeClaim() != null) {
        names.add(v.getPersistentVolumeClaim().getClaimName());
      } else if (v.getEphemeral() != null) {
        names.add(pod.getMetadata().getName() + "-" + v.getName());
      }
    }
    return names;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    List<String> names = claimNames(pod);
    if (names.isEmpty()) {
      return Status.SKIP;
    }
    String ns = pod.getMetadata().getNamespace();
    List<PersistentVolumeClaim> bound = new ArrayList<>();
    List<PersistentVolumeClaim> delayed = new ArrayList<>();
    boolean unboundImmediate = false;
    for (String name : names) {
      PersistentVolumeClaim claim = handle.objects().claim(ns, name);
      if (claim == null) {
        return Status.unresolvable("persistentvolumeclaim \"" + name + "\" not found");
      }
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        return Status.unresolvable("persistentvolumeclaim \"" + name + "\" is being deleted");
      }
      String volumeName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
      if (volumeName != null && !volumeName.isEmpty()) {
        bound.add(claim);
      } else if (isDelayed(claim)) {
        delayed.add(claim);
      } else {
        unboundImmediate = true;
      }
    }
    if (unboundImmediate) {
      return Status.unresolvable(ERR_UNBOUND_IMMEDIATE);
    }
    state.write(STATE_KEY, new State(bound, delayed));
    return Status.SUCCESS;
  }

  private boolean isDelayed(PersistentVolumeClaim claim) {
    StorageClass sc = handle.objects().storageClass(claim.getSpec().getStorageClassName());
    return sc != null && "WaitForFirstConsumer".equals(sc.getVolumeBindingMode());
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    State s = state.read(STATE_KEY, State.class);
    Node node = nodeInfo.node();
    for (PersistentVolumeClaim claim : s.bound) {
      PersistentVolume pv = handle.objects().volume(claim.getSpec().getVolumeName());
      if (pv == null) {
        return Status.unresolvable(ERR_PV_NOT_EXIST);
      }
      if (!reachable(pv, node)) {
        return Status.unresolvable(ERR_NODE_CONFLICT);
      }
    }
    if (s.delayed.isEmpty()) {
      return Status.SUCCESS;
    }
    List<Decision> decisions = new ArrayList<>();
    List<String> taken = new ArrayList<>();
    for (PersistentVolumeClaim claim : s.delayed) {
      PersistentVolume pv = findVolume(claim, node, taken);
      if (pv != null) {
        taken.add(pv.getMetadata().getName());
        decisions.add(new Decision(claim, pv));
      } else if (canProvision(claim, node)) {
        decisions.add(new Decision(claim, null));
      } else {
        return Status.unresolvable(ERR_BIND_CONFLICT);
      }
    }
    s.decisionsByNode.put(nodeInfo.name(), decisions);
    return Status.SUCCESS;
  }

  private static boolean reachable(PersistentVolume pv, Node node) {
    var affinity = pv.getSpec() == null ? null : pv.getSpec().getNodeAffinity();
    return affinity == null
        || affinity.getRequired() == null
        || NodeSelectors.matches(affinity.getRequired(), node);
  }

  private static String claimKey(PersistentVolumeClaim c) {
    return c.getMetadata().getNamespace() + "/" + c.getMetadata().getName();
  }

  // The smallest available volume of the claim's class that is big enough and reachable.
  private PersistentVolume findVolume(PersistentVolumeClaim claim, Node node, List<String> taken) {
    long wanted =
        claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null
            ? 0
            : Resource.toLong(
                "storage", claim.getSpec().getResources().getRequests().get("storage"));
    String className =
        claim.getSpec().getStorageClassName() == null ? "" : claim.getSpec().getStorageClassName();
    PersistentVolume best = null;
    long bestSize = Long.MAX_VALUE;
    for (PersistentVolume pv : handle.objects().volumes()) {
      var spec = pv.getSpec();
      String pvClass = spec.getStorageClassName() == null ? "" : spec.getStorageClassName();
      var ref = spec.getClaimRef();
      boolean free =
          ref == null
              || (claim.getMetadata().getName().equals(ref.getName())
                  && claim.getMetadata().getNamespace().equals(ref.getNamespace()));
      String assumedFor = assumedVolumes.get(pv.getMetadata().getName());
      if (!free
          || (assumedFor != null && !assumedFor.equals(claimKey(claim)))
          || taken.contains(pv.getMetadata().getName())
          || !pvClass.equals(className)
          || pv.getMetadata().getDeletionTimestamp() != null
          || !reachable(pv, node)) {
        continue;
      }
      List<String> modes = spec.getAccessModes() == null ? List.of() : spec.getAccessModes();
      if (claim.getSpec().getAccessModes() != null
          && !modes.containsAll(claim.getSpec().getAccessModes())) {
        continue;
      }
      String claimMode =
          claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode();
      String pvMode = spec.getVolumeMode() == null ? "Filesystem" : spec.getVolumeMode();
      long size =
          spec.getCapacity() == null
              ? 0
              : Resource.toLong("storage", spec.getCapacity().get("storage"));
      if (claimMode.equals(pvMode) && size >= wanted && size < bestSize) {
        best = pv;
        bestSize = size;
      }
    }
    return best;
  }

  private boolean canProvision(PersistentVolumeClaim claim, Node node) {
    StorageClass sc = handle.objects().storageClass(claim.getSpec().getStorageClassName());
    if (sc == null || sc.getProvisioner() == null || NO_PROVISIONER.equals(sc.getProvisioner())) {
      return false;
    }
    if (sc.getAllowedTopologies() == null || sc.getAllowedTopologies().isEmpty()) {
      return true;
    }
    Map<String, String> labels =
        node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    for (var term : sc.getAllowedTopologies()) {
      boolean all = true;
      for (var expr : term.getMatchLabelExpressions()) {
        all &= expr.getValues() != null && expr.getValues().contains(labels.get(expr.getKey()));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Status reserve(CycleState state, Pod pod, String nodeName) {
    State s = state.readOrNull(STATE_KEY, State.class);
    if (s == null) {
      return Status.SUCCESS;
    }
    for (Decision d : s.decisionsByNode.getOrDefault(nodeName, List.of())) {
      if (d.volume() != null) {
        String previous =
            assumedVolumes.putIfAbsent(d.volume().getMetadata().getName(), claimKey(d.claim()));
        if (previous != null && !previous.equals(claimKey(d.claim()))) {
          unreserve(state, pod, nodeName);
          return Status.unschedulable(ERR_BIND_CONFLICT);
        }
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public void unreserve(CycleState state, Pod pod, String nodeName) {
    State s = state.readOrNull(STATE_KEY, State.class);
    if (s == null) {
      return;
    }
    for (Decision d : s.decisionsByNode.getOrDefault(nodeName, List.of())) {
      if (d.volume() != null) {
        assumedVolumes.remove(d.volume().getMetadata().getName(), claimKey(d.claim()));
      }
    }
  }

  @Override
  public Status preBind(CycleState state, Pod pod, String nodeName) {
    State s = state.readOrNull(STATE_KEY, State.class);
    if (s == null) {
      return Status.SUCCESS;
    }
    try {
      for (Decision d : s.decisionsByNode.getOrDefault(nodeName, List.of())) {
        if (d.volume() != null) {
          handle.client().bindVolume(d.volume(), d.claim());
        } else {
          handle.client().selectNodeForClaim(d.claim(), nodeName);
        }
      }
      return Status.SUCCESS;
    } catch (RuntimeException e) {
      return Status.error(e);
    }
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME_CLAIM, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME_CLAIM, ClusterEvent.Action.UPDATE),
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.PERSISTENT_VOLUME, ClusterEvent.Action.UPDATE),
        new ClusterEvent(ClusterEvent.Kind.STORAGE_CLASS, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.STORAGE_CLASS, ClusterEvent.Action.UPDATE),
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL));
  }
}
