package dev.skiff.scheduler.plugins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.Resource;
import dev.skiff.scheduler.framework.ScorePlugin;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a node by the weighted allocation of chosen resources after placing the pod; shared by
 * NodeResourcesFit's strategies. CPU and memory use non-zero requests so empty pods still spread.
 */
final class ResourceScorer {
  enum Strategy {
    LEAST_ALLOCATED,
    MOST_ALLOCATED,
    REQUESTED_TO_CAPACITY_RATIO
  }

  record ResourceWeight(String name, long weight) {}

  /** A point of the RequestedToCapacityRatio shape: utilization 0-100 to score 0-10. */
  record ShapePoint(long utilization, long score) {}

  private static final List<ResourceWeight> DEFAULT_RESOURCES =
      List.of(new ResourceWeight(Resource.CPU, 1), new ResourceWeight(Resource.MEMORY, 1));

  private final Strategy strategy;
  private final List<ResourceWeight> resources;
  private final List<ShapePoint> shape;

  ResourceScorer(Strategy strategy, List<ResourceWeight> resources, List<ShapePoint> shape) {
    this.strategy = strategy;
    this.resources = List.copyOf(resources);
    this.shape = List.copyOf(shape);
  }

  /** Parses a ScoringStrategy; a missing node means LeastAllocated on cpu and memory. */
  static ResourceScorer fromArgs(JsonNode strategy) {
    String type = strategy.path("type").asText("LeastAllocated");
    Strategy s =
        switch (type) {
          case "LeastAllocated" -> Strategy.LEAST_ALLOCATED;
          case "MostAllocated" -> Strategy.MOST_ALLOCATED;
          case "RequestedToCapacityRatio" -> Strategy.REQUESTED_TO_CAPACITY_RATIO;
          default ->
              throw new IllegalArgumentException(
                  "scoringStrategy.type: Unsupported value: \""
                      + type
                      + "\": supported values: \"LeastAllocated\", \"MostAllocated\","
                      + " \"RequestedToCapacityRatio\"");
        };
    List<ResourceWeight> resources = new ArrayList<>();
    for (JsonNode r : strategy.path("resources")) {
      long weight = r.path("weight").asLong(1);
      if (weight < 1 || weight > 100) {
        throw new IllegalArgumentException(
            "scoringStrategy.resources.weight: Invalid value: "
                + weight
                + ": resource weight of "
                + r.path("name").asText()
                + " should be in the range [1, 100]");
      }
      resources.add(new ResourceWeight(r.path("name").asText(), weight));
    }
    List<ShapePoint> shape = new ArrayList<>();
    for (JsonNode p : strategy.path("requestedToCapacityRatio").path("shape")) {
      shape.add(new ShapePoint(p.path("utilization").asLong(), p.path("score").asLong()));
    }
    if (s == Strategy.REQUESTED_TO_CAPACITY_RATIO && shape.isEmpty()) {
      throw new IllegalArgumentException(
          "scoringStrategy.requestedToCapacityRatio.shape: Required value: at least one point must"
              + " be specified");
    }
    return new ResourceScorer(s, resources.isEmpty() ? DEFAULT_RESOURCES : resources, shape);
  }

  long score(Resource podRequests, Resource podNonZero, NodeInfo node) {
    long nodeScore = 0;
    long weightSum = 0;
    for (ResourceWeight rw : resources) {
      long alloc = node.allocatable().get(rw.name());
      long requested;
      switch (rw.name()) {
        case Resource.CPU -> requested = node.nonZeroRequested().milliCpu + podNonZero.milliCpu;
        case Resource.MEMORY -> requested = node.nonZeroRequested().memory + podNonZero.memory;
        default -> {
          // Extended resources the pod does not ask for do not count, as upstream.
          if (podRequests.get(rw.name()) == 0 && !Resource.EPHEMERAL_STORAGE.equals(rw.name())) {
            continue;
          }
          requested = node.requested().get(rw.name()) + podRequests.get(rw.name());
        }
      }
      if (alloc == 0) {
        continue;
      }
      nodeScore += resourceScore(requested, alloc) * rw.weight();
      weightSum += rw.weight();
    }
    return weightSum == 0 ? 0 : nodeScore / weightSum;
  }

  private long resourceScore(long requested, long capacity) {
    return switch (strategy) {
      case LEAST_ALLOCATED ->
          requested > capacity ? 0 : (capacity - requested) * ScorePlugin.MAX_NODE_SCORE / capacity;
      case MOST_ALLOCATED -> Math.min(requested, capacity) * ScorePlugin.MAX_NODE_SCORE / capacity;
      case REQUESTED_TO_CAPACITY_RATIO ->
          shapeScore(requested > capacity ? 100 : requested * 100 / capacity);
    };
  }

  // Linear interpolation between shape points; shape scores 0-10 scale to 0-100.
  private long shapeScore(long utilization) {
    ShapePoint first = shape.getFirst();
    if (utilization <= first.utilization()) {
      return first.score() * 10;
    }
    for (int i = 1; i < shape.size(); i++) {
      ShapePoint a = shape.get(i - 1);
      ShapePoint b = shape.get(i);
      if (utilization <= b.utilization()) {
        long as = a.score() * 10;
        long bs = b.score() * 10;
        return as
            + (bs - as) * (utilization - a.utilization()) / (b.utilization() - a.utilization());
      }
    }
    return shape.getLast().score() * 10;
  }
}
