package dev.skiff.apiserver.allocation;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * NodePorts from a range such as {@code 30000-32767}, one bit per port. A port is shared by TCP and
 * UDP of the same Service port number, as upstream: one allocation per distinct number.
 */
public final class NodePortAllocator extends BitmapAllocator<Integer> {
  private final int base;
  private final String range;

  /**
   * {@code range} as the API server flag takes it: {@code "30000-32767"} or {@code "30000+2767"}.
   */
  public NodePortAllocator(String range) {
    this(parse(range));
  }

  private NodePortAllocator(int[] bounds) {
    super(new AllocationBitmap(bounds[1] - bounds[0] + 1, rangeOffset(bounds[1] - bounds[0] + 1)));
    this.base = bounds[0];
    this.range = bounds[0] + "-" + bounds[1];
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

  @Override
  int offsetOf(Integer port) {
    int offset = port - base;
    return offset >= 0 && offset < bitmap.size() ? offset : -1;
  }

  /** Repair re-marks a Service's {@code nodePort}s and its {@code healthCheckNodePort}. */
  @Override
  Collection<Integer> heldBy(Service service) {
    return nodePorts(service);
  }

  @Override
  String canonical(String range) {
    int[] bounds = parse(range);
    return bounds[0] + "-" + bounds[1];
  }

  @Override
  String mismatchMessage() {
    return "the provided port range does not match the current port range";
  }

  @Override
  String noun() {
    return "Port";
  }

  @Override
  String rangeDescription() {
    return "the port range " + range;
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
