package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.Resource;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.EnqueueExtensions;
import dev.skiff.scheduler.framework.FilterPlugin;
import dev.skiff.scheduler.framework.PreFilterPlugin;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Filters out nodes without room for the pod's requests and scores the rest by how allocated they
 * would be, with the LeastAllocated (default), MostAllocated or RequestedToCapacityRatio strategy.
 */
public final class NodeResourcesFit
    implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  public static final String NAME = "NodeResourcesFit";
  private static final String STATE_KEY = "PreFilter" + NAME;

  private final ResourceScorer scorer;
  private final Set<String> ignoredResources = new HashSet<>();
  private final Set<String> ignoredResourceGroups = new HashSet<>();

  record Requests(Resource requests, Resource nonZero) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  /**
   * @param args NodeResourcesFitArgs: {@code scoringStrategy}, {@code ignoredResources}, {@code
   *     ignoredResourceGroups}
   */
  public NodeResourcesFit(JsonNode args) {
    scorer = ResourceScorer.fromArgs(args.path("scoringStrategy"));
    args.path("ignoredResources").forEach(n -> ignoredResources.add(n.asText()));
    args.path("ignoredResourceGroups").forEach(n -> ignoredResourceGroups.add(n.asText()));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod) {
    PodInfo info = state.podInfo(pod);
    state.write(STATE_KEY, new Requests(info.requests(), info.nonZeroRequests()));
    return Status.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo nodeInfo) {
    Resource req = state.read(STATE_KEY, Requests.class).requests();
    List<String> reasons = insufficientResources(req, nodeInfo);
    return reasons.isEmpty() ? Status.SUCCESS : new Status(Status.Code.UNSCHEDULABLE, reasons, "");
  }

  /** Upstream's reasons, in its order: pods, cpu, memory, ephemeral storage, extended. */
  List<String> insufficientResources(Resource req, NodeInfo nodeInfo) {
    List<String> reasons = new ArrayList<>(1);
    Resource alloc = nodeInfo.allocatable();
    Resource used = nodeInfo.requested();
    if (nodeInfo.pods().size() + 1 > alloc.allowedPodNumber) {
      reasons.add("Too many pods");
    }
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
      reasons.add("Insufficient cpu");
    }
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
      reasons.add("Insufficient memory");
    }
    if (req.ephemeralStorage > 0
        && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      reasons.add("Insufficient ephemeral-storage");
    }
    for (var e : req.scalarResources().entrySet()) {
      String name = e.getKey();
      if (e.getValue() == 0 || isIgnored(name)) {
        continue;
      }
      if (e.getValue() > alloc.get(name) - used.get(name)) {
        reasons.add("Insufficient " + name);
      }
    }
    return reasons;
  }

  private boolean isIgnored(String name) {
    if (ignoredResources.contains(name)) {
      return true;
    }
    int slash = name.indexOf('/');
    return slash > 0 && ignoredResourceGroups.contains(name.substring(0, slash));
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    if (state.readOrNull(STATE_KEY, Requests.class) == null) {
      preFilter(state, pod);
    }
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    Requests r = state.read(STATE_KEY, Requests.class);
    return scorer.score(r.requests(), r.nonZero(), nodeInfo);
  }

  @Override
  public List<ClusterEvent> eventsToRegister() {
    return List.of(
        ClusterEvent.ASSIGNED_POD_DELETE,
        new ClusterEvent(ClusterEvent.Kind.ASSIGNED_POD, ClusterEvent.Action.UPDATE),
        ClusterEvent.NODE_ADD,
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_ALLOCATABLE));
  }
}
