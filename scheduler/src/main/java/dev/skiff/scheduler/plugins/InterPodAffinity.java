package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.scheduler.cache.AffinityTerm;
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
import io.fabric8.kubernetes.api.model.Pod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod affinity and anti-affinity over topology domains. Filter enforces the pod's required terms
 * and, symmetrically, existing pods' required anti-affinity; Score adds preferred terms of both
 * sides (and existing pods' required affinity at {@code hardPodAffinityWeight}).
 */
public final class InterPodAffinity
    implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "InterPodAffinity";
  public static final String ERR_AFFINITY = "node(s) didn't match pod affinity rules";
  public static final String ERR_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules";
  public static final String ERR_EXISTING_ANTI_AFFINITY =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  private static final String PRE_FILTER_KEY = "PreFilter" + NAME;
  private static final String PRE_SCORE_KEY = "PreScore" + NAME;

  private final Handle handle;
  private final long hardPodAffinityWeight;
  private final boolean ignorePreferredTermsOfExistingPods;

  record TopologyPair(String key, String value) {}

  static final class FilterState implements CycleState.Data {
    final PodInfo pod;
    final Map<TopologyPair, Integer> existingAntiAffinity;
    final Map<TopologyPair, Integer> affinity;
    final Map<TopologyPair, Integer> antiAffinity;

    FilterState(PodInfo pod) {
      this(pod, new HashMap<>(), new HashMap<>(), new HashMap<>());
    }

    private FilterState(
        PodInfo pod,
        Map<TopologyPair, Integer> existing,
        Map<TopologyPair, Integer> affinity,
        Map<TopologyPair, Integer> anti) {
      this.pod = pod;
      this.existingAntiAffinity = existing;
      this.affinity = affinity;
      this.antiAffinity = anti;
    }

    @Override
    public CycleState.Data copy() {
      return new FilterState(
          pod,
          new HashMap<>(existingAntiAffinity),
          new HashMap<>(affinity),
          new HashMap<>(antiAffinity));
    }
  }

  record ScoreState(Map<TopologyPair, Long> topologyScore) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  /**
   * @param args InterPodAffinityArgs: {@code hardPodAffinityWeight} (0-100, default 1), {@code
   *     ignorePreferredTermsOfExistingPods}
   */
  public InterPodAffinity(JsonNode args, Handle handle) {
    this.handle = handle;
    this.hardPodAffinityWeight = args.path("hardPodAffinityWeight").asLong(1);
    if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) {
      throw new IllegalArgumentException(
          "hardPodAffinityWeight: Invalid value: "
              + hardPodAffinityWeight
              + ": not in valid range [0-100]");
    }
    this.ignorePreferredTermsOfExistingPods =
        args.path("ignorePreferredTermsOfExistingPods").asBoolean(false);
  }

  @Override
  public String name() {
    return NAME;
  }

  private boolean matches(AffinityTerm term, Pod pod) {
    return term.matches(pod, handle.objects()::namespaceLabels);
  }

  private boolean matchesAll(List<AffinityTerm> terms, Pod pod) {
    if (terms.isEmpty()) {
      return false;
    }
    for (AffinityTerm t : terms) {
      if (!matches(t, pod)) {
        return false;
      }
    }
    return true;
  }

  private static void add(Map<TopologyPair, Integer> counts, TopologyPair pair, int delta) {
    counts.merge(pair, delta, (a, b) -> a + b == 0 ? null : a + b);
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    FilterState s = new FilterState(state.podInfo(pod));
    for (NodeInfo node : handle.snapshot().havePodsWithRequiredAntiAffinity()) {
      for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
        countExistingAntiAffinity(s, existing, node, 1);
      }
    }
    boolean podHasTerms =
        !s.pod.requiredAffinity().isEmpty() || !s.pod.requiredAntiAffinity().isEmpty();
    if (!podHasTerms && s.existingAntiAffinity.isEmpty()) {
      return Status.SKIP;
    }
    if (podHasTerms) {
      for (NodeInfo node : handle.snapshot().list()) {
        for (PodInfo existing : node.pods()) {
          countIncomingTerms(s, existing, node, 1);
        }
      }
    }
    state.write(PRE_FILTER_KEY, s);
    return Status.SUCCESS;
  }

  private void countExistingAntiAffinity(FilterState s, PodInfo existing, NodeInfo node, int d) {
    for (AffinityTerm term : existing.requiredAntiAffinity()) {
      String value = node.labels().get(term.topologyKey());
      if (value != null && matches(term, s.pod.pod())) {
        add(s.existingAntiAffinity, new TopologyPair(term.topologyKey(), value), d);
      }
    }
  }

  private void countIncomingTerms(FilterState s, PodInfo existing, NodeInfo node, int d) {
    if (matchesAll(s.pod.requiredAffinity(), existing.pod())) {
      for (AffinityTerm term : s.pod.requiredAffinity()) {
        String value = node.labels().get(term.topologyKey());
        if (value != null) {
          add(s.affinity, new TopologyPair(term.topologyKey(), value), d);
        }
      }
    }
    for (AffinityTerm term : s.pod.requiredAntiAffinity()) {
      String value = node.labels().get(term.topologyKey());
      if (value != null && matches(term, existing.pod())) {
        add(s.antiAffinity, new TopologyPair(term.topologyKey(), value), d);
      }
    }
  }

  @Override
  public void addPod(CycleState state, Pod podToSchedule, PodInfo podToAdd, NodeInfo nodeInfo) {
    updateWithPod(state, podToAdd, nodeInfo, 1);
  }

  @Override
  public void removePod(
      CycleState state, Pod podToSchedule, PodInfo podToRemove, NodeInfo nodeInfo) {
    updateWithPod(state, podToRemove, nodeInfo, -1);
  }

  private void updateWithPod(CycleState state, PodInfo pod, NodeInfo node, int delta) {
    FilterState s = state.readOrNull(PRE_FILTER_KEY, FilterState.class);
    if (s != null) {
      countExistingAntiAffinity(s, pod, node, delta);
      countIncomingTerms(s, pod, node, delta);
    }
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    FilterState s = state.read(PRE_FILTER_KEY, FilterState.class);
    Map<String, String> labels = nodeInfo.labels();
    if (!satisfiesPodAffinity(s, labels)) {
      return Status.unresolvable(ERR_AFFINITY);
    }
    if (!s.antiAffinity.isEmpty()) {
      for (AffinityTerm term : s.pod.requiredAntiAffinity()) {
        String value = labels.get(term.topologyKey());
        if (value != null
            && s.antiAffinity.containsKey(new TopologyPair(term.topologyKey(), value))) {
          return Status.unschedulable(ERR_ANTI_AFFINITY);
        }
      }
    }
    if (!s.existingAntiAffinity.isEmpty()) {
      for (var e : labels.entrySet()) {
        if (s.existingAntiAffinity.containsKey(new TopologyPair(e.getKey(), e.getValue()))) {
          return Status.unschedulable(ERR_EXISTING_ANTI_AFFINITY);
        }
      }
    }
    return Status.SUCCESS;
  }

  private boolean satisfiesPodAffinity(FilterState s, Map<String, String> labels) {
    boolean podsExist = true;
    for (AffinityTerm term : s.pod.requiredAffinity()) {
      String value = labels.get(term.topologyKey());
      if (value == null) {
        return false;
      }
      if (!s.affinity.containsKey(new TopologyPair(term.topologyKey(), value))) {
        podsExist = false;
      }
    }
    // The first pod of a group with affinity to itself may go anywhere the keys exist.
    return podsExist || (s.affinity.isEmpty() && matchesAll(s.pod.requiredAffinity(), s.pod.pod()));
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    PodInfo incoming = state.podInfo(pod);
    boolean hasPreferred =
        !incoming.preferredAffinity().isEmpty() || !incoming.preferredAntiAffinity().isEmpty();
    List<NodeInfo> toProcess =
        hasPreferred ? handle.snapshot().list() : handle.snapshot().havePodsWithAffinity();
    if (toProcess.isEmpty()) {
      return Status.SKIP;
    }
    Map<TopologyPair, Long> scores = new HashMap<>();
    for (NodeInfo node : toProcess) {
      for (PodInfo existing : hasPreferred ? node.pods() : node.podsWithAffinity()) {
        scoreExisting(scores, incoming, existing, node);
      }
    }
    if (scores.isEmpty()) {
      return Status.SKIP;
    }
    state.write(PRE_SCORE_KEY, new ScoreState(scores));
    return Status.SUCCESS;
  }

  private void scoreExisting(
      Map<TopologyPair, Long> scores, PodInfo incoming, PodInfo existing, NodeInfo node) {
    addTerms(scores, incoming.preferredAffinity(), existing.pod(), node, 1, 0);
    addTerms(scores, incoming.preferredAntiAffinity(), existing.pod(), node, -1, 0);
    if (hardPodAffinityWeight > 0) {
      addTerms(scores, existing.requiredAffinity(), incoming.pod(), node, 1, hardPodAffinityWeight);
    }
    if (!ignorePreferredTermsOfExistingPods) {
      addTerms(scores, existing.preferredAffinity(), incoming.pod(), node, 1, 0);
      addTerms(scores, existing.preferredAntiAffinity(), incoming.pod(), node, -1, 0);
    }
  }

  // weightOverride replaces the terms' own weights (for required terms, which have none).
  private void addTerms(
      Map<TopologyPair, Long> scores,
      List<AffinityTerm> terms,
      Pod other,
      NodeInfo node,
      int sign,
      long weightOverride) {
    for (AffinityTerm term : terms) {
      String value = node.labels().get(term.topologyKey());
      if (value != null && matches(term, other)) {
        long weight = weightOverride > 0 ? weightOverride : term.weight();
        scores.merge(new TopologyPair(term.topologyKey(), value), sign * weight, Long::sum);
      }
    }
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    Map<TopologyPair, Long> scores = state.read(PRE_SCORE_KEY, ScoreState.class).topologyScore();
    long sum = 0;
    for (var e : scores.entrySet()) {
      String value = nodeInfo.labels().get(e.getKey().key());
      if (e.getKey().value().equals(value)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  @Override
  public void normalizeScore(CycleState state, Pod pod, List<NodeInfo> nodes, long[] scores) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long s : scores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
    long diff = max - min;
    for (int i = 0; i < scores.length; i++) {
      scores[i] = diff > 0 ? (long) (MAX_NODE_SCORE * ((double) (scores[i] - min) / diff)) : 0;
    }
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        new ClusterEvent(ClusterEvent.Kind.ASSIGNED_POD, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.ASSIGNED_POD, ClusterEvent.Action.UPDATE),
        ClusterEvent.ASSIGNED_POD_DELETE,
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL),
        new ClusterEvent(ClusterEvent.Kind.NAMESPACE, ClusterEvent.Action.ADD),
        new ClusterEvent(ClusterEvent.Kind.NAMESPACE, ClusterEvent.Action.UPDATE));
  }
}
