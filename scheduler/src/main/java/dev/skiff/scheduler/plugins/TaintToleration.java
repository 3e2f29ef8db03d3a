package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.helper.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;

/**
 * Rejects nodes with a NoSchedule or NoExecute taint the pod does not tolerate, and prefers nodes
 * with fewer untolerated PreferNoSchedule taints.
 */
public final class TaintToleration
    implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "TaintToleration";
  private static final String STATE_KEY = "PreScore" + NAME;
  private static final List<String> FILTER_EFFECTS = List.of("NoSchedule", "NoExecute");

  record PreferTolerations(List<Toleration> tolerations) implements CycleState.Data {
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
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    List<Taint> taints =
        nodeInfo.node().getSpec() == null ? null : nodeInfo.node().getSpec().getTaints();
    if (taints == null || taints.isEmpty()) {
      return Status.SUCCESS;
    }
    Taint t = Tolerations.firstUntolerated(taints, pod.getSpec().getTolerations(), FILTER_EFFECTS);
    if (t == null) {
      return Status.SUCCESS;
    }
    return Status.unresolvable(
        "node(s) had untolerated taint {"
            + t.getKey()
            + ": "
            + (t.getValue() == null ? "" : t.getValue())
            + "}");
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    List<Toleration> prefer = new ArrayList<>();
    if (pod.getSpec().getTolerations() != null) {
      for (Toleration t : pod.getSpec().getTolerations()) {
        if (t.getEffect() == null
            || t.getEffect().isEmpty()
            || "PreferNoSchedule".equals(t.getEffect())) {
          prefer.add(t);
        }
      }
    }
    state.write(STATE_KEY, new PreferTolerations(prefer));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    List<Taint> taints =
        nodeInfo.node().getSpec() == null ? null : nodeInfo.node().getSpec().getTaints();
    if (taints == null) {
      return 0;
    }
    List<Toleration> tolerations = state.read(STATE_KEY, PreferTolerations.class).tolerations();
    long count = 0;
    for (Taint t : taints) {
      if ("PreferNoSchedule".equals(t.getEffect()) && !Tolerations.toleratesAny(tolerations, t)) {
        count++;
      }
    }
    return count;
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, List<NodeInfo> nodes, long[] scores) {
    ScorePlugin.defaultNormalize(scores, true);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT),
        new ClusterEvent(ClusterEvent.Kind.UNSCHEDULED_POD, ClusterEvent.Action.UPDATE));
  }
}
