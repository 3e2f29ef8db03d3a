package dev.skiff.apiserver.allocation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * NodePorts from a range such as {@code 30000-32767}, one bit per port. A port is shared by TCP and
 * UDP of the same Service port number, as upstream: one allocation per distinct number.
 */
public final class NodePortAllocator implements RangeAllocator {
  private final int base;
  private final String range;
  private final AllocationBitmap bitmap;

  /**
   * {@code range} as the API server flag takes it: {@code "30000-32767"} or {@code "30000+2767"}.
   */
  public NodePortAllocator(String range) {
    int[] bounds = parse(range);
    this.base = bounds[0];
    int size = bounds[1] - bounds[0] + 1;
    this.range = bounds[0] + "-" + bounds[1];
    this.bitmap = new AllocationBitmap(size, rangeOffset(size));
  }

  private static int[] parse(String range) {
    String text = range == null ? "" : range.strip();
    try {
      int plus = text.indexOf('+');
      if (plus > 0) {
        int from = Integer.parseInt(text.substring(0, plus));
        return check(range, from, from + Integer.parseInt(text.substring(plus + 1)));
      }
      int dash = text.indexOf('-');
      if (dash > 0) {
        return check(
            range,
            Integer.parseInt(text.substring(0, dash)),
            Integer.parseInt(text.substring(dash + 1)));
      }
      int single = Integer.parseInt(text);
      return check(range, single, single);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unable to parse port range: " + range, e);
    }
  }

  private static int[] check(String text, int from, int to) {
    if (from < 1 || to > 65535 || from > to) {
      throw new IllegalArgumentException("unable to parse port range: " + text);
    }
    return new int[] {from, to};
  }

  private static int rangeOffset(int size) {
    if (size < 16) {
      return 0;
    }
    return Math.min(Math.max(16, size / 32), 128);
  }

  /** The range as {@code "30000-32767"}. */
  @Override
  public String range() {
    return range;
  }

  public synchronized void allocate(int port) throws AllocationException {
    int offset = port - base;
    if (offset < 0 || offset >= bitmap.size()) {
      throw new AllocationException(
          AllocationException.Reason.NOT_IN_RANGE,
          "provided port is not in the valid range. The range of valid ports is " + range);
    }
    if (!bitmap.allocate(offset)) {
      throw new AllocationException(
          AllocationException.Reason.ALLOCATED, "provided port is already allocated");
    }
  }

  public synchronized int allocateNext() throws AllocationException {
    int offset = bitmap.allocateNext();
    if (offset < 0) {
      throw AllocationException.full();
    }
    return base + offset;
  }

  public synchronized void release(int port) {
    int offset = port - base;
    if (offset >= 0 && offset < bitmap.size()) {
      bitmap.release(offset);
    }
  }

  public synchronized boolean has(int port) {
    int offset = port - base;
    return offset >= 0 && offset < bitmap.size() && bitmap.has(offset);
  }

  public synchronized int used() {
    return bitmap.used();
  }

  public synchronized int free() {
    return bitmap.size() - bitmap.used();
  }

  @Override
  public synchronized byte[] snapshot() {
    return bitmap.toBytes();
  }

  @Override
  public synchronized void restore(String range, byte[] data) throws AllocationException {
    int[] bounds = parse(range);
    if (!(bounds[0] + "-" + bounds[1]).equals(this.range)) {
      throw new AllocationException(
          AllocationException.Reason.MISMATCHED_RANGE,
          "the provided port range does not match the current port range");
    }
    bitmap.restore(data);
  }

  /**
   * Rebuilds the bitmap from the Services that exist: their {@code nodePort}s and {@code
   * healthCheckNodePort}. Returns the Services whose ports could not be marked.
   */
  public synchronized List<RepairProblem> repair(Collection<Service> services) {
    bitmap.clear();
    List<RepairProblem> problems = new ArrayList<>();
    for (Service service : services) {
      String ns = service.getMetadata().getNamespace();
      String name = service.getMetadata().getName();
      for (int port : nodePorts(service)) {
        int offset = port - base;
        if (offset < 0 || offset >= bitmap.size()) {
          problems.add(
              new RepairProblem(
                  ns,
                  name,
                  "PortOutOfRange",
                  "Port " + port + " is not within the port range " + range));
        } else if (!bitmap.allocate(offset)) {
          problems.add(
              new RepairProblem(
                  ns,
                  name,
                  "PortAlreadyAllocated",
                  "Port " + port + " was assigned to multiple services"));
        }
      }
    }
    return problems;
  }

  /** Distinct node ports of one Service: TCP and UDP on the same number share one allocation. */
  public static Set<Integer> nodePorts(Service service) {
    Set<Integer> ports = new HashSet<>();
    if (service.getSpec() == null) {
      return ports;
    }
    if (service.getSpec().getPorts() != null) {
      for (ServicePort p : service.getSpec().getPorts()) {
        if (p.getNodePort() != null && p.getNodePort() != 0) {
          ports.add(p.getNodePort());
        }
      }
    }
    Integer health = service.getSpec().getHealthCheckNodePort();
    if (health != null && health != 0) {
      ports.add(health);
    }
    return ports;
  }
}
