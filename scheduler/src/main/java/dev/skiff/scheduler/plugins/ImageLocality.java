package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.plugins.helper.ImageNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefers nodes that already have the pod's images, weighing each image by its size and by how many
 * nodes share it, so one popular image does not pile every pod onto a few nodes.
 */
public final class ImageLocality implements ScorePlugin {
  public static final String NAME = "ImageLocality";
  private static final long MB = 1024 * 1024;
  private static final long MIN_THRESHOLD = 23 * MB;
  private static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

  private final Handle handle;

  public ImageLocality(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    List<Container> containers = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      containers.addAll(pod.getSpec().getInitContainers());
    }
    if (pod.getSpec().getContainers() != null) {
      containers.addAll(pod.getSpec().getContainers());
    }
    if (nodeInfo.imageSizes().isEmpty() || containers.isEmpty()) {
      return 0;
    }
    int totalNodes = handle.snapshot().size();
    long sum = 0;
    for (Container c : containers) {
      String image = ImageNames.normalize(c.getImage());
      Long size = nodeInfo.imageSizes().get(image);
      if (size == null) {
        size = nodeInfo.imageSizes().get(c.getImage());
        image = c.getImage();
      }
      if (size != null && totalNodes > 0) {
        double spread = (double) handle.snapshot().nodesWithImage(image) / totalNodes;
        sum += (long) (size * spread);
      }
    }
    long max = MAX_CONTAINER_THRESHOLD * containers.size();
    sum = Math.max(MIN_THRESHOLD, Math.min(sum, max));
    return MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
  }
}
