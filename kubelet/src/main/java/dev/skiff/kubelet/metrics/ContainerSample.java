package dev.skiff.kubelet.metrics;

import dev.skiff.kubelet.pod.PodLabels;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStats;
import java.util.ArrayList;
import java.util.List;

/** One running pod container's identity and cumulative usage, as read from the runtime at once. */
record ContainerSample(Container container, ContainerStats stats) {
  String pod() {
    return container.labels().get(PodLabels.POD_NAME);
  }

  String namespace() {
    return container.labels().get(PodLabels.POD_NAMESPACE);
  }

  String name() {
    return container.metadata().name();
  }

  long timestampMillis() {
    return stats.timestamp() / 1_000_000L;
  }

  double cpuSeconds() {
    return stats.cpuUsageCoreNanoSeconds() / 1e9;
  }

  double startTimeSeconds() {
    return container.createdAt() / 1e9;
  }

  /**
   * Every running container that belongs to a pod; a container gone between list and stats is
   * skipped, and {@code errors[0]} is set so the scrape can say it was incomplete.
   */
  static List<ContainerSample> read(ContainerRuntime runtime, boolean[] errors) {
    List<ContainerSample> out = new ArrayList<>();
    for (Container c :
        runtime.listContainers(
            new ContainerFilter(null, ContainerState.CONTAINER_RUNNING, null, null))) {
      if (c.labels().get(PodLabels.POD_UID) == null) {
        continue;
      }
      try {
        out.add(new ContainerSample(c, runtime.containerStats(c.id())));
      } catch (RuntimeException e) {
        errors[0] = true;
      }
    }
    return out;
  }
}
