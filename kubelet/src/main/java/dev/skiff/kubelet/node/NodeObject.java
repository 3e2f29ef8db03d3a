package dev.skiff.kubelet.node;

import dev.skiff.kubelet.KubeletConfig;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Node object the kubelet registers, tainted not-ready until the control plane sees it Ready.
 */
public final class NodeObject {
  public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";

  private NodeObject() {}

  private static Taint notReadyTaint() {
    return new TaintBuilder().withKey(NOT_READY_TAINT).withEffect("NoSchedule").build();
  }

  /** The Node to create: well-known labels, configured labels and taints, not ready yet. */
  public static Node initial(KubeletConfig config, MachineInfo machine) {
    List<Taint> taints = new ArrayList<>(config.registerWithTaints());
    taints.add(notReadyTaint());
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(config.nodeName())
            .withLabels(labels(config, machine))
            .withAnnotations(Map.of("node.alpha.kubernetes.io/ttl", "0"))
            .endMetadata()
            .withNewSpec()
            .withTaints(taints)
            .endSpec();
    if (config.podCidr() != null) {
      b.editSpec().withPodCIDR(config.podCidr()).withPodCIDRs(config.podCidr()).endSpec();
    }
    return b.build();
  }

  public static Map<String, String> labels(KubeletConfig config, MachineInfo machine) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("beta.kubernetes.io/arch", machine.architecture());
    labels.put("beta.kubernetes.io/os", machine.operatingSystem());
    labels.put("kubernetes.io/arch", machine.architecture());
    labels.put("kubernetes.io/hostname", config.nodeName());
    labels.put("kubernetes.io/os", machine.operatingSystem());
    labels.putAll(config.nodeLabels());
    return labels;
  }
}
