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

/** The Node object the kubelet registers, and the taint it carries while not ready. */
public final class NodeObject {
  public static final String NOT_READY_TAINT = "node.kubernetes.io/not-ready";

  private NodeObject() {}

  public static Taint notReadyTaint() {
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

  /**
   * The taints the node should have: its current ones with the not-ready taint added or removed.
   */
  public static List<Taint> taints(List<Taint> current, boolean ready) {
    List<Taint> out = new ArrayList<>();
    for (Taint t : current) {
      if (!(NOT_READY_TAINT.equals(t.getKey()) && "NoSchedule".equals(t.getEffect()))) {
        out.add(t);
      }
    }
    if (!ready) {
      out.add(notReadyTaint());
    }
    return out;
  }
}
