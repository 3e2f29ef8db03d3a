package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.helper.NodeSelectors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.ArrayList;
import java.util.List;

/**
 * Honors {@code nodeSelector} and required node affinity (Filter) and scores preferred node
 * affinity terms by the sum of matching weights. The profile may add its own affinity ({@code
 * addedAffinity}) that every pod must also satisfy.
 */
public final class NodeAffinity
    implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "NodeAffinity";
  public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
  public static final String ERR_REASON_ENFORCED =
      "node(s) didn't match scheduler-enforced node affinity";
  private static final String PRE_SCORE_KEY = "PreScore" + NAME;

  private final io.fabric8.kubernetes.api.model.NodeAffinity added;

  record Preferred(List<PreferredSchedulingTerm> terms) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  /**
   * @param args NodeAffinityArgs: {@code addedAffinity} (a core/v1 NodeAffinity)
   */
  public NodeAffinity(JsonNode args) {
    JsonNode a = args.path("addedAffinity");
    try {
      added =
          a.isMissingNode() || a.isNull()
              ? null
              : new ObjectMapper()
                  .treeToValue(a, io.fabric8.kubernetes.api.model.NodeAffinity.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("addedAffinity: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public String name() {
    return NAME;
  }

  private static io.fabric8.kubernetes.api.model.NodeAffinity podAffinity(Pod pod) {
    var a = pod.getSpec().getAffinity();
    return a == null ? null : a.getNodeAffinity();
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    var na = podAffinity(pod);
    boolean hasSelector =
        pod.getSpec().getNodeSelector() != null && !pod.getSpec().getNodeSelector().isEmpty();
    boolean hasRequired =
        na != null && na.getRequiredDuringSchedulingIgnoredDuringExecution() != null;
    boolean hasAdded =
        added != null && added.getRequiredDuringSchedulingIgnoredDuringExecution() != null;
    if (!hasSelector && !hasRequired && !hasAdded) {
      return Status.SKIP;
    }
    return Status.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    if (added != null
        && !NodeSelectors.matches(
            added.getRequiredDuringSchedulingIgnoredDuringExecution(), nodeInfo.node())) {
      return Status.unresolvable(ERR_REASON_ENFORCED);
    }
    if (!NodeSelectors.matchesRequired(pod, nodeInfo.node())) {
      return Status.unresolvable(ERR_REASON_POD);
    }
    return Status.SUCCESS;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    List<PreferredSchedulingTerm> terms = new ArrayList<>();
    var na = podAffinity(pod);
    if (na != null && na.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
      terms.addAll(na.getPreferredDuringSchedulingIgnoredDuringExecution());
    }
    if (added != null && added.getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
      terms.addAll(added.getPreferredDuringSchedulingIgnoredDuringExecution());
    }
    if (terms.isEmpty()) {
      return Status.SKIP;
    }
    state.write(PRE_SCORE_KEY, new Preferred(terms));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    long sum = 0;
    for (PreferredSchedulingTerm t : state.read(PRE_SCORE_KEY, Preferred.class).terms()) {
      int weight = t.getWeight() == null ? 0 : t.getWeight();
      if (weight != 0
          && t.getPreference() != null
          && NodeSelectors.matches(t.getPreference(), nodeInfo.node())) {
        sum += weight;
      }
    }
    return sum;
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, List<NodeInfo> nodes, long[] scores) {
    ScorePlugin.defaultNormalize(scores, false);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL),
        new ClusterEvent(ClusterEvent.Kind.UNSCHEDULED_POD, ClusterEvent.Action.UPDATE));
  }
}
