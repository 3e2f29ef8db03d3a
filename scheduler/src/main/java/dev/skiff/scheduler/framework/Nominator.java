package dev.skiff.scheduler.framework;

import dev.skiff.scheduler.cache.PodInfo;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/**
 * Pods that preempted others and are waiting for room on a node ({@code status.nominatedNodeName});
 * lower-priority pods must not take that room meanwhile.
 */
public interface Nominator {
  List<PodInfo> nominatedPodsForNode(String nodeName);

  void addNominatedPod(PodInfo pod, String nodeName);

  void deleteNominatedPod(Pod pod);

  /** A nominator that never holds anything, for tests of single plugins. */
  Nominator NONE =
      new Nominator() {
        @Override
        public List<PodInfo> nominatedPodsForNode(String nodeName) {
          return List.of();
        }

        @Override
        public void addNominatedPod(PodInfo pod, String nodeName) {}

        @Override
        public void deleteNominatedPod(Pod pod) {}
      };
}
