package dev.skiff.kubelet.testing;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.function.UnaryOperator;

/** The pods kubelet tests start from, and what they read back from a pod's status. */
public final class TestPods {

  /** The image the fake runtime pretends to pull. */
  public static final String IMAGE = "busybox:1.36";

  private TestPods() {}

  /** A pod in {@code default} bound to {@code node}: one container, app, sleeping an hour. */
  public static PodBuilder sleeper(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewContainer()
        .withName("app")
        .withImage(IMAGE)
        .withCommand("sleep", "3600")
        .endContainer()
        .endSpec();
  }

  /** The pod with its first container changed, for tests about one container setting. */
  public static Pod withApp(PodBuilder pod, UnaryOperator<ContainerBuilder> change) {
    Pod built = pod.build();
    List<Container> containers = built.getSpec().getContainers();
    containers.set(0, change.apply(new ContainerBuilder(containers.getFirst())).build());
    return built;
  }

  /** The status of the pod's first container. */
  public static ContainerStatus app(Pod p) {
    return p.getStatus().getContainerStatuses().getFirst();
  }

  /** The status (True, False) of the pod's condition of that type, or null without one. */
  public static String condition(Pod p, String type) {
    return p.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(PodCondition::getStatus)
        .findFirst()
        .orElse(null);
  }

  /** Why the pod's first container waits, or null when it does not. */
  public static String waitingReason(Pod p) {
    ContainerStateWaiting waiting = app(p).getState().getWaiting();
    return waiting == null ? null : waiting.getReason();
  }

  public static boolean ready(Pod p) {
    return "True".equals(condition(p, "Ready"));
  }
}
