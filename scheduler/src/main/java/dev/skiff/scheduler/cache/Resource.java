package dev.skiff.scheduler.cache;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * A mutable amount of compute resources in the scheduler's units: milli-CPU, bytes, a pod count and
 * extended ("scalar") resources such as {@code nvidia.com/gpu} or {@code hugepages-2Mi}.
 */
public final class Resource {
  public static final String CPU = "cpu";
  public static final String MEMORY = "memory";
  public static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  public static final String PODS = "pods";

  public long milliCpu;
  public long memory;
  public long ephemeralStorage;
  public long allowedPodNumber;
  private Map<String, Long> scalar;

  public Resource() {}

  /** The resources of a requests/limits/allocatable map. */
  public static Resource of(Map<String, Quantity> quantities) {
    Resource r = new Resource();
    if (quantities != null) {
      quantities.forEach((name, q) -> r.set(name, toLong(name, q)));
    }
    return r;
  }

  /** CPU in millicores rounded up; everything else in whole units rounded up, as upstream. */
  public static long toLong(String name, Quantity quantity) {
    if (quantity == null) {
      return 0;
    }
    BigDecimal amount = quantity.getNumericalAmount();
    if (CPU.equals(name)) {
      amount = amount.movePointRight(3);
    }
    return amount.setScale(0, RoundingMode.CEILING).longValueExact();
  }

  public long get(String name) {
    return switch (name) {
      case CPU -> milliCpu;
      case MEMORY -> memory;
      case EPHEMERAL_STORAGE -> ephemeralStorage;
      case PODS -> allowedPodNumber;
      default -> scalar == null ? 0 : scalar.getOrDefault(name, 0L);
    };
  }

  public void set(String name, long value) {
    switch (name) {
      case CPU -> milliCpu = value;
      case MEMORY -> memory = value;
      case EPHEMERAL_STORAGE -> ephemeralStorage = value;
      case PODS -> allowedPodNumber = value;
      default -> {
        if (scalar == null) {
          scalar = new HashMap<>();
        }
        scalar.put(name, value);
      }
    }
  }

  public void add(Resource other) {
    milliCpu += other.milliCpu;
    memory += other.memory;
    ephemeralStorage += other.ephemeralStorage;
    allowedPodNumber += other.allowedPodNumber;
    if (other.scalar != null) {
      other.scalar.forEach((k, v) -> set(k, get(k) + v));
    }
  }

  public void subtract(Resource other) {
    milliCpu -= other.milliCpu;
    memory -= other.memory;
    ephemeralStorage -= other.ephemeralStorage;
    allowedPodNumber -= other.allowedPodNumber;
    if (other.scalar != null) {
      other.scalar.forEach((k, v) -> set(k, get(k) - v));
    }
  }

  /** Raises every amount to at least the other's, for the init-container rule. */
  public void setMax(Resource other) {
    milliCpu = Math.max(milliCpu, other.milliCpu);
    memory = Math.max(memory, other.memory);
    ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
    allowedPodNumber = Math.max(allowedPodNumber, other.allowedPodNumber);
    if (other.scalar != null) {
      other.scalar.forEach((k, v) -> set(k, Math.max(get(k), v)));
    }
  }

  /** The extended resources present, possibly with zero amounts; a read-only view. */
  public Map<String, Long> scalarResources() {
    return scalar == null ? Map.of() : Collections.unmodifiableMap(scalar);
  }

  public Resource copy() {
    Resource r = new Resource();
    r.add(this);
    return r;
  }

  @Override
  public String toString() {
    return "Resource{cpu="
        + milliCpu
        + "m, memory="
        + memory
        + ", ephemeral-storage="
        + ephemeralStorage
        + ", pods="
        + allowedPodNumber
        + (scalar == null ? "" : ", " + scalar)
        + "}";
  }
}
