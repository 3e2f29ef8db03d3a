package dev.skiff.kubelet.node;

import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.runtime.Image;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.api.model.NodeSystemInfoBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Computes the Node's status from the machine, the node's health and the images present. */
public final class NodeStatusComputer {
  /** Upstream reports at most this many images, largest first. */
  static final int MAX_IMAGES = 50;

  public static final String KUBELET_VERSION = "v1.32.0-skiff";

  private NodeStatusComputer() {}

  /**
   * @param previous the conditions last reported, so an unchanged condition keeps its transition
   *     time
   */
  public static NodeStatus build(
      KubeletConfig config,
      MachineInfo machine,
      NodeHealth health,
      List<Image> images,
      String runtimeVersion,
      int streamingPort,
      List<NodeCondition> previous,
      Instant now) {
    String ts = now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<NodeCondition> conditions = new ArrayList<>();
    conditions.add(
        condition(
            "MemoryPressure",
            health.memoryPressure(),
            health.memoryPressure() ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
            health.memoryPressure()
                ? "kubelet has insufficient memory available"
                : "kubelet has sufficient memory available",
            previous,
            ts));
    conditions.add(
        condition(
            "DiskPressure",
            health.diskPressure(),
            health.diskPressure() ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
            health.diskPressure() ? "kubelet has disk pressure" : "kubelet has no disk pressure",
            previous,
            ts));
    conditions.add(
        condition(
            "PIDPressure",
            health.pidPressure(),
            health.pidPressure() ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
            health.pidPressure()
                ? "kubelet has insufficient PID available"
                : "kubelet has sufficient PID available",
            previous,
            ts));
    conditions.add(
        condition(
            "Ready",
            health.ready(),
            health.ready() ? "KubeletReady" : "KubeletNotReady",
            health.ready()
                ? "kubelet is posting ready status"
                : "container runtime is down: " + health.runtimeError(),
            previous,
            ts));
    return new NodeStatusBuilder()
        .withCapacity(Resources.capacity(machine))
        .withAllocatable(Resources.allocatable(machine, config.reserved()))
        .withConditions(conditions)
        .withAddresses(
            new NodeAddress(config.nodeIp(), "InternalIP"),
            new NodeAddress(config.nodeName(), "Hostname"))
        .withNewDaemonEndpoints()
        .withNewKubeletEndpoint(streamingPort)
        .endDaemonEndpoints()
        .withNodeInfo(
            new NodeSystemInfoBuilder()
                .withMachineID(machine.machineId())
                .withSystemUUID(machine.systemUuid())
                .withBootID(machine.bootId())
                .withKernelVersion(machine.kernelVersion())
                .withOsImage(machine.osImage())
                .withContainerRuntimeVersion(runtimeVersion)
                .withKubeletVersion(KUBELET_VERSION)
                .withKubeProxyVersion(KUBELET_VERSION)
                .withOperatingSystem(machine.operatingSystem())
                .withArchitecture(machine.architecture())
                .build())
        .withImages(images(images))
        .build();
  }

  /** Images largest first, each named by its digests and tags, as {@code describe node} lists. */
  static List<ContainerImage> images(List<Image> images) {
    return images.stream()
        .sorted(Comparator.comparingLong(Image::size).reversed())
        .limit(MAX_IMAGES)
        .map(
            i -> {
              List<String> names = new ArrayList<>(i.repoDigests());
              names.addAll(i.repoTags());
              if (names.isEmpty()) {
                names.add(i.id());
              }
              return new ContainerImage(names, i.size());
            })
        .toList();
  }

  private static NodeCondition condition(
      String type,
      boolean status,
      String reason,
      String message,
      List<NodeCondition> previous,
      String now) {
    String s = status ? "True" : "False";
    String transition =
        previous.stream()
            .filter(c -> c.getType().equals(type) && c.getStatus().equals(s))
            .map(NodeCondition::getLastTransitionTime)
            .findFirst()
            .orElse(now);
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(s)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(transition)
        .build();
  }
}
