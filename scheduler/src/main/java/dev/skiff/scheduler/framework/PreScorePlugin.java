package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.NodeInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Runs once per cycle before Score with the feasible nodes; {@link Status#SKIP} skips Score. */
public interface PreScorePlugin extends Plugin {
  Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes);
}
