package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.Resource;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Favors nodes whose resources would be used evenly after placing the pod: the score is 100 times
 * one minus the standard deviation of the requested/allocatable fractions.
 */
public final class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin {
  public static final String NAME = "NodeResourcesBalancedAllocation";
  private static final String STATE_KEY = "PreScore" + NAME;

  private final List<String> resources;

  record Requests(Resource requests, Resource nonZero) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  /**
   * @param args NodeResourcesBalancedAllocationArgs: {@code resources} (names; weights are ignored,
   *     as upstream), cpu and memory by default
   */
  public NodeResourcesBalancedAllocation(JsonNode args) {
    List<String> names = new ArrayList<>();
    args.path("resources").forEach(r -> names.add(r.path("name").asText()));
    resources = names.isEmpty() ? List.of(Resource.CPU, Resource.MEMORY) : List.copyOf(names);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    PodInfo info = state.podInfo(pod);
    Resource r = info.requests();
    boolean bestEffort = r.milliCpu == 0 && r.memory == 0 && r.scalarResources().isEmpty();
    if (bestEffort) {
      return Status.SKIP;
    }
    state.write(STATE_KEY, new Requests(r, info.nonZeroRequests()));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    Requests r = state.read(STATE_KEY, Requests.class);
    double total = 0;
    double[] fractions = new double[resources.size()];
    int n = 0;
    for (String name : resources) {
      long alloc = nodeInfo.allocatable().get(name);
      long requested;
      switch (name) {
        case Resource.CPU ->
            requested = nodeInfo.nonZeroRequested().milliCpu + r.nonZero().milliCpu;
        case Resource.MEMORY -> requested = nodeInfo.nonZeroRequested().memory + r.nonZero().memory;
        default -> {
          if (r.requests().get(name) == 0 && !Resource.EPHEMERAL_STORAGE.equals(name)) {
            continue;
          }
          requested = nodeInfo.requested().get(name) + r.requests().get(name);
        }
      }
      if (alloc == 0) {
        continue;
      }
      double fraction = Math.min(1.0, (double) requested / alloc);
      fractions[n++] = fraction;
      total += fraction;
    }
    double std = 0;
    if (n == 2) {
      std = Math.abs((fractions[0] - fractions[1]) / 2);
    } else if (n > 2) {
      double mean = total / n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += (fractions[i] - mean) * (fractions[i] - mean);
      }
      std = Math.sqrt(sum / n);
    }
    return (long) ((1 - std) * MAX_NODE_SCORE);
  }
}
