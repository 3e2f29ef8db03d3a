package dev.skiff.scheduler.framework;

import com.fasterxml.jackson.databind.node.MissingNode;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.Snapshot;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A profile's plugins wired to their extension points, and the code that runs each point in order,
 * as upstream's frameworkImpl. One instance per profile; it is also the plugins' {@link Handle}.
 */
public final class Framework implements Handle {
  private final String schedulerName;
  private final Integer percentageOfNodesToScore;
  private final ClusterObjects objects;
  private final SchedulerClient client;
  private final Nominator nominator;
  private final Map<String, Plugin> plugins = new LinkedHashMap<>();
  private final Map<ExtensionPoint, List<Plugin>> byPoint = new EnumMap<>(ExtensionPoint.class);
  private final Map<String, Integer> scoreWeights = new LinkedHashMap<>();
  private final WaitingPods waitingPods = new WaitingPods();
  private volatile Snapshot snapshot = Snapshot.of(List.of());

  /**
   * @throws IllegalArgumentException for an unknown plugin, a plugin enabled at a point it does not
   *     implement, or a profile without exactly one queue sort and at least one binder
   */
  public Framework(
      ProfileConfig config,
      PluginRegistry registry,
      ClusterObjects objects,
      SchedulerClient client,
      Nominator nominator) {
    this.schedulerName = config.schedulerName();
    this.percentageOfNodesToScore = config.percentageOfNodesToScore();
    this.objects = objects;
    this.client = client;
    this.nominator = nominator;
    Set<String> names = new LinkedHashSet<>();
    config.multiPoint().enabled().forEach(r -> names.add(r.name()));
    config.points().values().forEach(s -> s.enabled().forEach(r -> names.add(r.name())));
    for (String name : names) {
      var args = config.pluginArgs().getOrDefault(name, MissingNode.getInstance());
      try {
        plugins.put(name, registry.create(name, args, this));
      } catch (IllegalArgumentException e) {
        // Upstream's wording, so the operator sees which profile and plugin are wrong.
        throw new IllegalArgumentException(
            "creating profile for scheduler name "
                + schedulerName
                + ": initializing plugin \""
                + name
                + "\": "
                + e.getMessage(),
            e);
      }
    }
    for (ExtensionPoint point : ExtensionPoint.values()) {
      byPoint.put(point, expand(config, point));
    }
    if (byPoint.get(ExtensionPoint.QUEUE_SORT).size() != 1) {
      throw new IllegalArgumentException(
          "profile \""
              + schedulerName
              + "\": exactly one queueSort plugin must be enabled, found "
              + byPoint.get(ExtensionPoint.QUEUE_SORT).size());
    }
    if (byPoint.get(ExtensionPoint.BIND).isEmpty()) {
      throw new IllegalArgumentException(
          "profile \"" + schedulerName + "\": at least one bind plugin is needed");
    }
  }

  // Upstream's order: overridden multiPoint plugins in their regular order, then the remaining
  // multiPoint plugins, then plugins enabled only at this point.
  private List<Plugin> expand(ProfileConfig config, ExtensionPoint point) {
    PluginSet specific = config.at(point);
    Map<String, Integer> specificWeights = new LinkedHashMap<>();
    for (var ref : specific.enabled()) {
      Plugin p = plugins.get(ref.name());
      if (!point.isImplementedBy(p)) {
        throw new IllegalArgumentException(
            "plugin \"" + ref.name() + "\" does not extend " + point.configName() + " plugin");
      }
      specificWeights.put(ref.name(), ref.weight());
    }
    List<String> overridden = new ArrayList<>();
    List<String> multi = new ArrayList<>();
    Map<String, Integer> weights = new LinkedHashMap<>();
    if (!specific.disabled().contains("*")) {
      for (var ref : config.multiPoint().enabled()) {
        Plugin p = plugins.get(ref.name());
        if (!point.isImplementedBy(p) || specific.disables(ref.name())) {
          continue;
        }
        if (specificWeights.containsKey(ref.name())) {
          overridden.add(ref.name());
        } else {
          multi.add(ref.name());
          weights.put(ref.name(), ref.weight());
        }
      }
    }
    List<String> order = new ArrayList<>();
    specific.enabled().forEach(r -> order.add(r.name()));
    order.retainAll(overridden);
    order.addAll(multi);
    specific.enabled().stream()
        .map(PluginSet.PluginRef::name)
        .filter(n -> !order.contains(n))
        .forEach(order::add);
    weights.putAll(specificWeights);
    List<Plugin> out = new ArrayList<>();
    for (String name : order) {
      out.add(plugins.get(name));
      if (point == ExtensionPoint.SCORE) {
        int w = weights.getOrDefault(name, 0);
        scoreWeights.put(name, w == 0 ? 1 : w);
      }
    }
    return List.copyOf(out);
  }

  public String schedulerName() {
    return schedulerName;
  }

  /** The profile's own setting, or null to use the global one. */
  public Integer percentageOfNodesToScore() {
    return percentageOfNodesToScore;
  }

  /** The plugin instances at a point, in the order they run. */
  public List<Plugin> pluginsAt(ExtensionPoint point) {
    return byPoint.get(point);
  }

  public int scoreWeight(String plugin) {
    return scoreWeights.getOrDefault(plugin, 0);
  }

  public Plugin plugin(String name) {
    return plugins.get(name);
  }

  public QueueSortPlugin queueSort() {
    return (QueueSortPlugin) byPoint.get(ExtensionPoint.QUEUE_SORT).getFirst();
  }

  /** Events after which a pod rejected by {@code plugin} may fit, or null when unregistered. */
  public List<ClusterEvent> eventsFor(String plugin) {
    return plugins.get(plugin) instanceof EnqueueExtensions e ? e.eventsToRegister() : null;
  }

  public void setSnapshot(Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  @Override
  public ClusterObjects objects() {
    return objects;
  }

  @Override
  public SchedulerClient client() {
    return client;
  }

  @Override
  public Nominator nominator() {
    return nominator;
  }

  @Override
  public WaitingPods waitingPods() {
    return waitingPods;
  }

  /** Runs PreFilter plugins; the first rejection or error stops the cycle. */
  public Status runPreFilterPlugins(CycleState state, Pod pod) {
    for (Plugin p : byPoint.get(ExtensionPoint.PRE_FILTER)) {
      Status s = ((PreFilterPlugin) p).preFilter(state, pod);
      if (s.isSkip()) {
        state.skipFilterPlugins().add(p.name());
      } else if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    state.setFilters(null);
    return Status.SUCCESS;
  }

  @Override
  public Status runFilterPlugins(CycleState state, Pod pod, NodeInfo nodeInfo) {
    List<FilterPlugin> filters = state.filters();
    if (filters == null) {
      filters = new ArrayList<>();
      for (Plugin p : byPoint.get(ExtensionPoint.FILTER)) {
        if (!state.skipFilterPlugins().contains(p.name())) {
          filters.add((FilterPlugin) p);
        }
      }
      state.setFilters(filters);
    }
    for (int i = 0; i < filters.size(); i++) {
      FilterPlugin p = filters.get(i);
      Status s = p.filter(state, pod, nodeInfo);
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /**
   * Filters with the node's nominated pods of equal or higher priority counted as if running, then
   * without them, as upstream: the pod must fit both ways.
   */
  @Override
  public Status runFilterPluginsWithNominatedPods(CycleState state, Pod pod, NodeInfo nodeInfo) {
    List<PodInfo> nominated = nominator.nominatedPodsForNode(nodeInfo.name());
    if (nominated.isEmpty()) {
      return runFilterPlugins(state, pod, nodeInfo);
    }
    int priority = PodPriority.of(pod);
    NodeInfo withNominated = null;
    CycleState stateWithNominated = null;
    for (PodInfo p : nominated) {
      if (PodPriority.of(p.pod()) >= priority
          && !java.util.Objects.equals(p.uid(), pod.getMetadata().getUid())) {
        if (withNominated == null) {
          withNominated = nodeInfo.copy();
          stateWithNominated = state.copy();
        }
        withNominated.addPod(p);
        runPreFilterAddPod(stateWithNominated, pod, p, withNominated);
      }
    }
    if (withNominated != null) {
      Status s = runFilterPlugins(stateWithNominated, pod, withNominated);
      if (!s.isSuccess()) {
        return s;
      }
    }
    return runFilterPlugins(state, pod, nodeInfo);
  }

  @Override
  public void runPreFilterAddPod(CycleState state, Pod pod, PodInfo added, NodeInfo nodeInfo) {
    for (Plugin p : byPoint.get(ExtensionPoint.PRE_FILTER)) {
      if (!state.skipFilterPlugins().contains(p.name())) {
        ((PreFilterPlugin) p).addPod(state, pod, added, nodeInfo);
      }
    }
  }

  @Override
  public void runPreFilterRemovePod(CycleState state, Pod pod, PodInfo victim, NodeInfo nodeInfo) {
    for (Plugin p : byPoint.get(ExtensionPoint.PRE_FILTER)) {
      if (!state.skipFilterPlugins().contains(p.name())) {
        ((PreFilterPlugin) p).removePod(state, pod, victim, nodeInfo);
      }
    }
  }

  /** Runs PostFilter plugins until one makes the pod schedulable (nominates a node). */
  public PostFilterPlugin.PostFilterResult runPostFilterPlugins(
      CycleState state, Pod pod, Map<String, Status> nodeToStatus) {
    PostFilterPlugin.PostFilterResult last =
        new PostFilterPlugin.PostFilterResult(null, Status.unschedulable());
    for (Plugin p : byPoint.get(ExtensionPoint.POST_FILTER)) {
      var r = ((PostFilterPlugin) p).postFilter(state, pod, nodeToStatus);
      Status s = r.status().withPlugin(p.name());
      if (s.isSuccess() || s.code() == Status.Code.ERROR) {
        return new PostFilterPlugin.PostFilterResult(r.nominatedNodeName(), s);
      }
      last = new PostFilterPlugin.PostFilterResult(r.nominatedNodeName(), s);
    }
    return last;
  }

  public Status runPreScorePlugins(CycleState state, Pod pod, List<NodeInfo> nodes) {
    for (Plugin p : byPoint.get(ExtensionPoint.PRE_SCORE)) {
      Status s = ((PreScorePlugin) p).preScore(state, pod, nodes);
      if (s.isSkip()) {
        state.skipScorePlugins().add(p.name());
      } else if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /** Weighted sum over Score plugins of normalized scores; {@code [i]} is for nodes[i]. */
  public long[] runScorePlugins(CycleState state, Pod pod, List<NodeInfo> nodes) {
    long[] total = new long[nodes.size()];
    long[] scores = new long[nodes.size()];
    for (Plugin p : byPoint.get(ExtensionPoint.SCORE)) {
      if (state.skipScorePlugins().contains(p.name())) {
        continue;
      }
      ScorePlugin sp = (ScorePlugin) p;
      for (int i = 0; i < scores.length; i++) {
        scores[i] = sp.score(state, pod, nodes.get(i));
      }
      sp.normalizeScore(state, pod, nodes, scores);
      long weight = scoreWeights.get(p.name());
      for (int i = 0; i < scores.length; i++) {
        if (scores[i] > ScorePlugin.MAX_NODE_SCORE || scores[i] < 0) {
          throw new IllegalStateException(
              "plugin \""
                  + p.name()
                  + "\" returns an invalid score "
                  + scores[i]
                  + ", it should in the range of [0, 100] after normalizing");
        }
        total[i] += scores[i] * weight;
      }
    }
    return total;
  }

  /** Runs Reserve plugins; on failure the caller must run {@link #runUnreservePlugins}. */
  public Status runReservePlugins(CycleState state, Pod pod, String nodeName) {
    for (Plugin p : byPoint.get(ExtensionPoint.RESERVE)) {
      Status s = ((ReservePlugin) p).reserve(state, pod, nodeName);
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /** Undoes Reserve in reverse order. */
  public void runUnreservePlugins(CycleState state, Pod pod, String nodeName) {
    List<Plugin> reserve = byPoint.get(ExtensionPoint.RESERVE);
    for (int i = reserve.size() - 1; i >= 0; i--) {
      ((ReservePlugin) reserve.get(i)).unreserve(state, pod, nodeName);
    }
  }

  /** Runs Permit plugins; a WAIT result carries the longest requested timeout. */
  public PermitPlugin.Decision runPermitPlugins(CycleState state, Pod pod, String nodeName) {
    java.time.Duration wait = null;
    for (Plugin p : byPoint.get(ExtensionPoint.PERMIT)) {
      var d = ((PermitPlugin) p).permit(state, pod, nodeName);
      if (d.status().code() == Status.Code.WAIT) {
        wait = wait == null || d.timeout().compareTo(wait) > 0 ? d.timeout() : wait;
      } else if (!d.status().isSuccess()) {
        return new PermitPlugin.Decision(d.status().withPlugin(p.name()), null);
      }
    }
    return wait == null
        ? new PermitPlugin.Decision(Status.SUCCESS, null)
        : new PermitPlugin.Decision(Status.of(Status.Code.WAIT), wait);
  }

  public Status runPreBindPlugins(CycleState state, Pod pod, String nodeName) {
    for (Plugin p : byPoint.get(ExtensionPoint.PRE_BIND)) {
      Status s = ((PreBindPlugin) p).preBind(state, pod, nodeName);
      if (!s.isSuccess()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /** Runs bind plugins until one does not skip. */
  public Status runBindPlugins(CycleState state, Pod pod, String nodeName) {
    for (Plugin p : byPoint.get(ExtensionPoint.BIND)) {
      Status s = ((BindPlugin) p).bind(state, pod, nodeName);
      if (!s.isSkip()) {
        return s.withPlugin(p.name());
      }
    }
    return Status.error("all bind plugins skipped pod " + PodInfo.keyOf(pod));
  }
}
