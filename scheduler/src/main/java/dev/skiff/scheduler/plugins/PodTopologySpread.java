package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.helper.NodeSelectors;
import dev.skiff.scheduler.plugins.helper.SpreadConstraint;
import dev.skiff.scheduler.plugins.helper.Tolerations;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spreads matching pods across topology domains. DoNotSchedule constraints are enforced (skew =
 * matching pods in the node's domain + self − the minimum over domains, at most maxSkew);
 * ScheduleAnyway constraints, or the system defaults for pods of a Service or workload, score.
 */
public final class PodTopologySpread
    implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "PodTopologySpread";
  public static final String ERR_REASON = "node(s) didn't match pod topology spread constraints";
  public static final String ERR_REASON_MISSING_LABEL =
      "node(s) didn't match pod topology spread constraints (missing required label)";
  static final String HOSTNAME = SpreadConstraint.HOSTNAME;
  private static final String PRE_FILTER_KEY = "PreFilter" + NAME;
  private static final String PRE_SCORE_KEY = "PreScore" + NAME;

  private final Handle handle;
  private final List<SpreadConstraint> defaultConstraints;

  static final class FilterState implements CycleState.Data {
    final List<SpreadConstraint> constraints;
    final List<Map<String, Integer>> counts;

    FilterState(List<SpreadConstraint> constraints, List<Map<String, Integer>> counts) {
      this.constraints = constraints;
      this.counts = counts;
    }

    int min(int i) {
      Map<String, Integer> domains = counts.get(i);
      if (domains.size() < constraints.get(i).minDomains()) {
        return 0;
      }
      int min = Integer.MAX_VALUE;
      for (int c : domains.values()) {
        min = Math.min(min, c);
      }
      return min;
    }

    @Override
    public CycleState.Data copy() {
      List<Map<String, Integer>> copy = new ArrayList<>();
      counts.forEach(m -> copy.add(new HashMap<>(m)));
      return new FilterState(constraints, copy);
    }
  }

  record ScoreState(
      List<SpreadConstraint> constraints,
      Set<String> ignoredNodes,
      List<Map<String, Long>> counts,
      double[] weights)
      implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  /**
   * @param args PodTopologySpreadArgs: {@code defaultingType} System (default) or List, and {@code
   *     defaultConstraints} (used with List; selectors come from the pod's Services and owner)
   */
  public PodTopologySpread(JsonNode args, Handle handle) {
    this.handle = handle;
    this.defaultConstraints = SpreadConstraint.defaultsFromArgs(args);
  }

  @Override
  public String name() {
    return NAME;
  }

  List<SpreadConstraint> constraintsOf(Pod pod) {
    return SpreadConstraint.of(pod, defaultConstraints, handle.objects());
  }

  private static boolean hasAllKeys(
      Map<String, String> labels, List<SpreadConstraint> constraints) {
    for (SpreadConstraint c : constraints) {
      if (!labels.containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }

  private static boolean includes(SpreadConstraint c, Pod pod, NodeInfo node) {
    if (c.honorNodeAffinity() && !NodeSelectors.matchesRequired(pod, node.node())) {
      return false;
    }
    if (c.honorTaints()) {
      var taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
      return Tolerations.firstUntolerated(
              taints, pod.getSpec().getTolerations(), List.of("NoSchedule", "NoExecute"))
          == null;
    }
    return true;
  }

  private static int countMatching(List<PodInfo> pods, LabelSelector selector, String namespace) {
    int n = 0;
    for (PodInfo p : pods) {
      if (matches(p.pod(), selector, namespace)) {
        n++;
      }
    }
    return n;
  }

  private static boolean matches(Pod p, LabelSelector selector, String namespace) {
    if (!namespace.equals(p.getMetadata().getNamespace())
        || p.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    Map<String, String> labels = p.getMetadata().getLabels();
    return selector.matches(labels == null ? Map.of() : labels);
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    List<SpreadConstraint> hard =
        constraintsOf(pod).stream().filter(SpreadConstraint::hard).toList();
    if (hard.isEmpty()) {
      return Status.SKIP;
    }
    List<Map<String, Integer>> counts = new ArrayList<>();
    hard.forEach(c -> counts.add(new HashMap<>()));
    String ns = pod.getMetadata().getNamespace();
    for (NodeInfo node : handle.snapshot().list()) {
      if (!hasAllKeys(node.labels(), hard)) {
        continue;
      }
      for (int i = 0; i < hard.size(); i++) {
        SpreadConstraint c = hard.get(i);
        if (includes(c, pod, node)) {
          counts
              .get(i)
              .merge(
                  node.labels().get(c.topologyKey()),
                  countMatching(node.pods(), c.selector(), ns),
                  Integer::sum);
        }
      }
    }
    state.write(PRE_FILTER_KEY, new FilterState(hard, counts));
    return Status.SUCCESS;
  }

  @Override
  public void addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
    update(state, podToSchedule, podToAdd, nodeInfo, 1);
  }

  @Override
  public void removePod(
      CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
    update(state, podToSchedule, podToRemove, nodeInfo, -1);
  }

  private void update(CycleState state, Pod pod, PodInfo other, NodeInfo node, int delta) {
    FilterState s = state.readOrNull(PRE_FILTER_KEY, FilterState.class);
    if (s == null || !hasAllKeys(node.labels(), s.constraints)) {
      return;
    }
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      if (includes(c, pod, node)
          && matches(other.pod(), c.selector(), pod.getMetadata().getNamespace())) {
        s.counts.get(i).merge(node.labels().get(c.topologyKey()), delta, Integer::sum);
      }
    }
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    FilterState s = state.read(PRE_FILTER_KEY, FilterState.class);
    Map<String, String> podLabels = pod.getMetadata().getLabels();
    for (int i = 0; i < s.constraints.size(); i++) {
      SpreadConstraint c = s.constraints.get(i);
      String value = nodeInfo.labels().get(c.topologyKey());
      if (value == null) {
        return Status.unresolvable(ERR_REASON_MISSING_LABEL);
      }
      int self = c.selector().matches(podLabels == null ? Map.of() : podLabels) ? 1 : 0;
      if (s.counts.get(i).isEmpty()) {
        continue;
      }
      long skew = (long) s.counts.get(i).getOrDefault(value, 0) + self - s.min(i);
      if (skew > c.maxSkew()) {
        return Status.unschedulable(ERR_REASON);
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    List<SpreadConstraint> soft = constraintsOf(pod).stream().filter(c -> !c.hard()).toList();
    if (soft.isEmpty()) {
      return Status.SKIP;
    }
    var own = pod.getSpec().getTopologySpreadConstraints();
    boolean requireAll = own != null && !own.isEmpty();
    Set<String> ignored = new HashSet<>();
    List<Map<String, Long>> counts = new ArrayList<>();
    soft.forEach(c -> counts.add(new HashMap<>()));
    for (NodeInfo node : nodes) {
      if (requireAll && !hasAllKeys(node.labels(), soft)) {
        ignored.add(node.name());
        continue;
      }
      for (int i = 0; i < soft.size(); i++) {
        if (!HOSTNAME.equals(soft.get(i).topologyKey())) {
          counts.get(i).putIfAbsent(node.labels().getOrDefault(soft.get(i).topologyKey(), ""), 0L);
        }
      }
    }
    double[] weights = new double[soft.size()];
    for (int i = 0; i < soft.size(); i++) {
      int size =
          HOSTNAME.equals(soft.get(i).topologyKey())
              ? nodes.size() - ignored.size()
              : counts.get(i).size();
      weights[i] = Math.log(size + 2);
    }
    String ns = pod.getMetadata().getNamespace();
    for (NodeInfo node : handle.snapshot().list()) {
      if (requireAll && !hasAllKeys(node.labels(), soft)) {
        continue;
      }
      for (int i = 0; i < soft.size(); i++) {
        SpreadConstraint c = soft.get(i);
        String value = node.labels().getOrDefault(c.topologyKey(), "");
        if (counts.get(i).containsKey(value) && includes(c, pod, node)) {
          counts
              .get(i)
              .merge(value, (long) countMatching(node.pods(), c.selector(), ns), Long::sum);
        }
      }
    }
    state.write(PRE_SCORE_KEY, new ScoreState(soft, ignored, counts, weights));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    ScoreState s = state.read(PRE_SCORE_KEY, ScoreState.class);
    if (s.ignoredNodes().contains(nodeInfo.name())) {
      return 0;
    }
    double score = 0;
    for (int i = 0; i < s.constraints().size(); i++) {
      SpreadConstraint c = s.constraints().get(i);
      String value = nodeInfo.labels().get(c.topologyKey());
      if (value == null) {
        continue;
      }
      long count =
          HOSTNAME.equals(c.topologyKey())
              ? countMatching(nodeInfo.pods(), c.selector(), pod.getMetadata().getNamespace())
              : s.counts().get(i).getOrDefault(value, 0L);
      score += count * s.weights()[i] + (c.maxSkew() - 1);
    }
    return Math.round(score);
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, List<NodeInfo> nodes, long[] scores) {
    ScoreState s = state.read(PRE_SCORE_KEY, ScoreState.class);
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!s.ignoredNodes().contains(nodes.get(i).name())) {
        min = Math.min(min, scores[i]);
        max = Math.max(max, scores[i]);
      }
    }
    for (int i = 0; i < scores.length; i++) {
      if (s.ignoredNodes().contains(nodes.get(i).name())) {
        scores[i] = 0;
      } else if (max == 0) {
        scores[i] = MAX_NODE_SCORE;
      } else {
        scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
      }
    }
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Kind.ASSIGNED_POD, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.ASSIGNED_POD, ClusterEvent.Action.UPDATE),
        ClusterEvent.ASSIGNED_POD_DELETE,
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.DELETE),
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL),
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_TAINT));
  }
}
