package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.helper.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;

/**
 * Keeps pods off cordoned nodes ({@code spec.unschedulable}) unless they tolerate the
 * node.kubernetes.io/unschedulable:NoSchedule taint, as DaemonSet pods do.
 */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodeUnschedulable";
  public static final String ERR_REASON = "node(s) were unschedulable";
  private static final Taint UNSCHEDULABLE_TAINT =
      new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    var spec = nodeInfo.node().getSpec();
    if (spec == null || !Boolean.TRUE.equals(spec.getUnschedulable())) {
      return Status.SUCCESS;
    }
    if (Tolerations.toleratesAny(pod.getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) {
      return Status.SUCCESS;
    }
    return Status.unresolvable(ERR_REASON);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT));
  }
}
