package dev.skiff.kubelet.pod;

import dev.skiff.runtime.cgroups.QosClass;
import dev.skiff.runtime.cgroups.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A pod's requests and limits in the runtime's terms, and its QoS class. */
public final class PodResources {
  private PodResources() {}

  public static ResourceRequirements requirements(Container c) {
    var r = c.getResources();
    Map<String, Quantity> requests =
        r == null || r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
    return new ResourceRequirements(
        milli(requests.get("cpu")),
        milli(limits.get("cpu")),
        bytes(requests.get("memory")),
        bytes(limits.get("memory")));
  }

  public static QosClass qos(Pod pod) {
    List<ResourceRequirements> all = new ArrayList<>();
    pod.getSpec().getInitContainers().forEach(c -> all.add(requirements(c)));
    pod.getSpec().getContainers().forEach(c -> all.add(requirements(c)));
    return QosClass.of(all);
  }

  private static Long milli(Quantity q) {
    return q == null
        ? null
        : q.getNumericalAmount()
            .multiply(BigDecimal.valueOf(1000))
            .setScale(0, java.math.RoundingMode.CEILING)
            .longValue();
  }

  private static Long bytes(Quantity q) {
    return q == null
        ? null
        : q.getNumericalAmount().setScale(0, java.math.RoundingMode.CEILING).longValue();
  }
}
