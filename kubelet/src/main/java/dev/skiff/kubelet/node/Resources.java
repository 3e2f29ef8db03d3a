package dev.skiff.kubelet.node;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Capacity and allocatable as the kubelet reports them: allocatable is capacity minus the reserved
 * resources minus the hard eviction thresholds (memory.available 100Mi, nodefs.available 10%), as
 * upstream computes it.
 */
public final class Resources {
  public static final int MAX_PODS = 110;
  static final long EVICTION_MEMORY_BYTES = 100L * 1024 * 1024;
  static final int EVICTION_NODEFS_PERCENT = 10;

  private Resources() {}

  public static Map<String, Quantity> capacity(MachineInfo m) {
    Map<String, Quantity> c = new LinkedHashMap<>();
    c.put("cpu", new Quantity(Integer.toString(m.cpus())));
    c.put("ephemeral-storage", kibibytes(m.filesystemBytes()));
    c.put("hugepages-1Gi", new Quantity("0"));
    c.put("hugepages-2Mi", new Quantity("0"));
    c.put("memory", kibibytes(m.memoryBytes()));
    c.put("pods", new Quantity(Integer.toString(MAX_PODS)));
    return c;
  }

  public static Map<String, Quantity> allocatable(MachineInfo m, Map<String, Quantity> reserved) {
    Map<String, Quantity> a = new LinkedHashMap<>(capacity(m));
    BigDecimal cpu =
        BigDecimal.valueOf(m.cpus()).subtract(amount(reserved.get("cpu"))).max(BigDecimal.ZERO);
    a.put("cpu", cpu(cpu));
    long memory =
        m.memoryBytes() - amount(reserved.get("memory")).longValue() - EVICTION_MEMORY_BYTES;
    a.put("memory", kibibytes(Math.max(0, memory)));
    long storage =
        m.filesystemBytes()
            - amount(reserved.get("ephemeral-storage")).longValue()
            - m.filesystemBytes() * EVICTION_NODEFS_PERCENT / 100;
    a.put("ephemeral-storage", new Quantity(Long.toString(Math.max(0, storage))));
    return a;
  }

  private static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }

  /** Whole cores print as an integer, fractions as millicores ({@code 1500m}), as upstream. */
  static Quantity cpu(BigDecimal cores) {
    if (cores.stripTrailingZeros().scale() <= 0) {
      return new Quantity(cores.setScale(0, RoundingMode.DOWN).toPlainString());
    }
    return new Quantity(
        cores.multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.DOWN) + "m");
  }

  static Quantity kibibytes(long bytes) {
    return new Quantity((bytes / 1024) + "Ki");
  }
}
