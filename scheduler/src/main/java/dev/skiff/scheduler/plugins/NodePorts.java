package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.HostPort;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Rejects nodes where a host port the pod needs (same IP, protocol and port) is taken. */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  public static final String NAME = "NodePorts";
  public static final String ERR_REASON =
      "node(s) didn't have free ports for the requested pod ports";
  private static final String STATE_KEY = "PreFilter" + NAME;

  record WantedPorts(List<HostPort> ports) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    List<HostPort> ports = state.podInfo(pod).hostPorts();
    if (ports.isEmpty()) {
      return Status.SKIP;
    }
    state.write(STATE_KEY, new WantedPorts(ports));
    return Status.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    for (HostPort wanted : state.read(STATE_KEY, WantedPorts.class).ports()) {
      for (HostPort used : nodeInfo.usedPorts()) {
        if (wanted.conflictsWith(used)) {
          return Status.unschedulable(ERR_REASON);
        }
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(ClusterEvent.ASSIGNED_POD_DELETE, ClusterEvent.NODE_ADD);
  }
}
