package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Handle;
import dev.skiff.scheduler.framework.PreScorePlugin;
import dev.skiff.scheduler.framework.ScorePlugin;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.plugins.helper.ImageNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;

/**
 * Prefers nodes that already have the pod's images, weighing each image by its size and by how many
 * nodes share it, so one popular image does not pile every pod onto a few nodes.
 */
public final class ImageLocality implements PreScorePlugin, ScorePlugin {
  public static final String NAME = "ImageLocality";
  private static final long MB = 1024 * 1024;
  private static final long MIN_THRESHOLD = 23 * MB;
  private static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;
  private static final String STATE_KEY = "PreScore" + NAME;

  private final Handle handle;

  public ImageLocality(Handle handle) {
    this.handle = handle;
  }

  @Override
  public String name() {
    return NAME;
  }

  record Images(List<String> names, List<String> normalized) implements CycleState.Data {
    @Override
    public CycleState.Data copy() {
      return this;
    }
  }

  @Override
  public Status preScore(CycleState state, Pod pod, List<NodeInfo> nodes) {
    List<String> names = new ArrayList<>();
    List<String> normalized = new ArrayList<>();
    for (List<Container> cs :
        List.of(
            pod.getSpec().getInitContainers() == null
                ? List.<Container>of()
                : pod.getSpec().getInitContainers(),
            pod.getSpec().getContainers() == null
                ? List.<Container>of()
                : pod.getSpec().getContainers())) {
      for (Container c : cs) {
        names.add(c.getImage());
        normalized.add(ImageNames.normalize(c.getImage()));
      }
    }
    state.write(STATE_KEY, new Images(names, normalized));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
    Images images = state.read(STATE_KEY, Images.class);
    if (nodeInfo.imageSizes().isEmpty() || images.names().isEmpty()) {
      return 0;
    }
    int totalNodes = handle.snapshot().size();
    long sum = 0;
    for (int i = 0; i < images.names().size(); i++) {
      String image = images.normalized().get(i);
      Long size = nodeInfo.imageSizes().get(image);
      if (size == null) {
        image = images.names().get(i);
        size = nodeInfo.imageSizes().get(image);
      }
      if (size != null && totalNodes > 0) {
        double spread = (double) handle.snapshot().nodesWithImage(image) / totalNodes;
        sum += (long) (size * spread);
      }
    }
    long max = MAX_CONTAINER_THRESHOLD * images.names().size();
    sum = Math.max(MIN_THRESHOLD, Math.min(sum, max));
    return MAX_NODE_SCORE * (sum - MIN_THRESHOLD) / (max - MIN_THRESHOLD);
  }
}
