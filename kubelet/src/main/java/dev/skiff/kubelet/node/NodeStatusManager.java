package dev.skiff.kubelet.node;

import dev.skiff.kubelet.ApiCalls;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.runtime.Image;
import dev.skiff.runtime.ImageFilter;
import dev.skiff.runtime.ImageService;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Registers the Node and keeps its status true: the status is written when it changes (ignoring
 * heartbeat times) and at least every 5 minutes. Its taints are not the kubelet's to change.
 */
public final class NodeStatusManager {
  static final Duration REPORT_AT_LEAST_EVERY = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final ImageService images;
  private final HealthMonitor health;
  private final String runtimeVersion;
  private final IntSupplier streamingPort;
  private MachineInfo machine;
  private volatile Node node;
  private NodeStatus lastReported;
  private List<Image> lastImages = List.of();
  private Instant lastReportTime = Instant.EPOCH;

  public NodeStatusManager(
      KubernetesClient client,
      KubeletConfig config,
      ImageService images,
      HealthMonitor health,
      String runtimeVersion,
      IntSupplier streamingPort) {
    this.client = client;
    this.config = config;
    this.images = images;
    this.health = health;
    this.runtimeVersion = runtimeVersion;
    this.streamingPort = streamingPort;
  }

  /**
   * Creates the Node, or adopts the existing one and adds the labels this kubelet sets. A new Node
   * carries the not-ready taint and its first status, as upstream's kubelet registers it: the node
   * lifecycle controller lifts the taint once the Ready condition is True.
   */
  public synchronized Node register() {
    machine = MachineInfo.read(config.rootDir());
    Instant now = Instant.now();
    NodeStatus status = status(health.check(), List.of(), now);
    Node desired = new NodeBuilder(NodeObject.initial(config, machine)).withStatus(status).build();
    try {
      node = client.nodes().resource(desired).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      Map<String, Object> metadata = Map.of("labels", NodeObject.labels(config, machine));
      Map<String, Object> patch = new LinkedHashMap<>();
      patch.put("metadata", metadata);
      if (config.podCidr() != null) {
        Node existing = client.nodes().withName(config.nodeName()).get();
        if (existing.getSpec().getPodCIDR() == null) {
          patch.put(
              "spec", Map.of("podCIDR", config.podCidr(), "podCIDRs", List.of(config.podCidr())));
        }
      }
      node =
          client
              .nodes()
              .withName(config.nodeName())
              .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
    }
    return node;
  }

  /** The Node as last written or read; null before registration. */
  public Node node() {
    return node;
  }

  /** This node's pod range: configured, or as the control plane assigned it. */
  public String podCidr() {
    if (config.podCidr() != null) {
      return config.podCidr();
    }
    Node n = node;
    return n == null || n.getSpec() == null ? null : n.getSpec().getPodCIDR();
  }

  /** Computes the status and writes it when it changed or is due. */
  public synchronized void sync(Instant now) {
    if (node == null) {
      register();
    }
    List<NodeCondition> previous = lastReported == null ? List.of() : lastReported.getConditions();
    NodeStatus status = status(health.check(), previous, now);
    boolean due = Duration.between(lastReportTime, now).compareTo(REPORT_AT_LEAST_EVERY) >= 0;
    if (due || lastReported == null || !sameIgnoringHeartbeats(status, lastReported)) {
      Node patch =
          new NodeBuilder()
              .withNewMetadata()
              .withName(config.nodeName())
              .endMetadata()
              .withStatus(status)
              .build();
      try {
        node = ApiCalls.retryOnConflict(() -> client.nodes().resource(patch).patchStatus());
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          // The Node was deleted: register it again on the next sync, as upstream does.
          node = null;
          lastReported = null;
        }
        throw e;
      }
      lastReported = status;
      lastReportTime = now;
    }
  }

  private NodeStatus status(NodeHealth h, List<NodeCondition> previous, Instant now) {
    return NodeStatusComputer.build(
        config, machine, h, imageList(), runtimeVersion, streamingPort.getAsInt(), previous, now);
  }

  /** The images present; when the runtime cannot say, the last list reported. */
  private List<Image> imageList() {
    try {
      lastImages = images.listImages(ImageFilter.ALL);
    } catch (RuntimeException e) {
      // The runtime is down: Ready says so; the image list stays as last seen.
    }
    return lastImages;
  }

  static boolean sameIgnoringHeartbeats(NodeStatus a, NodeStatus b) {
    NodeStatus x = withoutHeartbeats(a);
    NodeStatus y = withoutHeartbeats(b);
    return x.equals(y);
  }

  private static NodeStatus withoutHeartbeats(NodeStatus s) {
    NodeStatus copy = Serialization.clone(s);
    copy.getConditions().forEach(c -> c.setLastHeartbeatTime(null));
    return copy;
  }
}
