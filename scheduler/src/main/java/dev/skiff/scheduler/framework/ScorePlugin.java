package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.NodeInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Ranks feasible nodes. Scores end up in [0, {@link #MAX_NODE_SCORE}] after {@link
 * #normalizeScore}, then the framework multiplies them by the plugin's configured weight.
 */
public interface ScorePlugin extends Plugin {
  long MAX_NODE_SCORE = 100;

  long score(CycleState state, Pod pod, NodeInfo nodeInfo);

  /** Rescales raw scores in place; {@code scores[i]} belongs to {@code nodes.get(i)}. */
  default void normalizeScore(CycleState state, Pod pod, List<NodeInfo> nodes, long[] scores) {}

  /** Scales scores linearly so the highest becomes 100 (or 0 when {@code reverse}). */
  static void defaultNormalize(long[] scores, boolean reverse) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    for (int i = 0; i < scores.length; i++) {
      long s = max == 0 ? 0 : scores[i] * MAX_NODE_SCORE / max;
      scores[i] = reverse ? MAX_NODE_SCORE - s : s;
    }
  }
}
