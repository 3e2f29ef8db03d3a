package dev.skiff.apiserver.allocation;

import dev.skiff.api.net.Cidr;
import io.fabric8.kubernetes.api.model.Service;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * ClusterIPs from one service CIDR, one bit per address. The network address (and, for IPv4, the
 * broadcast address) is never handed out; ranges larger than 65,536 addresses are capped, as
 * upstream does. Safe for concurrent use: two creates never get the same IP.
 */
public final class ServiceIpAllocator implements RangeAllocator {
  private static final int MAX_SIZE = 1 << 16;

  private final Cidr parsed;
  private final String cidr;
  private final BigInteger base;
  private final int addressLength;
  private final AllocationBitmap bitmap;

  public ServiceIpAllocator(String cidr) {
    this.parsed = Cidr.parse(cidr);
    this.cidr = parsed.toString();
    this.addressLength = parsed.addressLength();
    this.base = parsed.network().add(BigInteger.ONE);
    BigInteger total = BigInteger.ONE.shiftLeft(parsed.hostBits());
    BigInteger usable = total.subtract(BigInteger.valueOf(addressLength == 4 ? 2 : 1));
    int size = usable.min(BigInteger.valueOf(MAX_SIZE)).max(BigInteger.ZERO).intValueExact();
    this.bitmap = new AllocationBitmap(size, rangeOffset(total));
  }

  /** Size of the band at the bottom that dynamic allocation leaves for user-chosen IPs. */
  private static int rangeOffset(BigInteger total) {
    if (total.compareTo(BigInteger.valueOf(16)) < 0) {
      return 0;
    }
    BigInteger offset = total.divide(BigInteger.valueOf(16));
    return offset.max(BigInteger.valueOf(16)).min(BigInteger.valueOf(256)).intValueExact();
  }

  /** The CIDR in canonical form, as stored beside the bitmap. */
  @Override
  public String range() {
    return cidr;
  }

  public synchronized void allocate(String ip) throws AllocationException {
    int offset = offsetOf(ip);
    if (offset < 0) {
      throw new AllocationException(
          AllocationException.Reason.NOT_IN_RANGE,
          "the provided IP ("
              + ip
              + ") is not in the valid range. The range of valid IPs is "
              + cidr);
    }
    if (!bitmap.allocate(offset)) {
      throw new AllocationException(
          AllocationException.Reason.ALLOCATED, "provided IP is already allocated");
    }
  }

  public synchronized String allocateNext() throws AllocationException {
    int offset = bitmap.allocateNext();
    if (offset < 0) {
      throw AllocationException.full();
    }
    return addressAt(offset);
  }

  /** Releasing an IP that is not allocated, or not in range, does nothing, as upstream. */
  public synchronized void release(String ip) {
    int offset = offsetOf(ip);
    if (offset >= 0) {
      bitmap.release(offset);
    }
  }

  public synchronized boolean has(String ip) {
    int offset = offsetOf(ip);
    return offset >= 0 && bitmap.has(offset);
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

  /** Loads a snapshot taken from an allocator of the same range. */
  @Override
  public synchronized void restore(String range, byte[] data) throws AllocationException {
    if (!Cidr.parse(range).toString().equals(cidr)) {
      throw new AllocationException(
          AllocationException.Reason.MISMATCHED_RANGE,
          "the provided network does not match the current range");
    }
    bitmap.restore(data);
  }

  /**
   * Rebuilds the bitmap from the Services that exist, the source of truth after a crash or a lost
   * snapshot. Returns the Services whose IPs could not be marked.
   */
  public synchronized List<RepairProblem> repair(Collection<Service> services) {
    bitmap.clear();
    List<RepairProblem> problems = new ArrayList<>();
    for (Service service : services) {
      for (String ip : clusterIps(service)) {
        if (!Cidr.isIpLiteral(ip) || !sameFamily(ip)) {
          continue;
        }
        int offset = offsetOf(ip);
        String ns = service.getMetadata().getNamespace();
        String name = service.getMetadata().getName();
        if (offset < 0) {
          problems.add(
              new RepairProblem(
                  ns,
                  name,
                  "ClusterIPOutOfRange",
                  "Cluster IP " + ip + " is not within the configured Service CIDR " + cidr));
        } else if (!bitmap.allocate(offset)) {
          problems.add(
              new RepairProblem(
                  ns,
                  name,
                  "ClusterIPAlreadyAllocated",
                  "Cluster IP " + ip + " was assigned to multiple services"));
        }
      }
    }
    return problems;
  }

  private static List<String> clusterIps(Service service) {
    if (service.getSpec() == null) {
      return List.of();
    }
    List<String> ips = service.getSpec().getClusterIPs();
    if (ips != null && !ips.isEmpty()) {
      return ips;
    }
    String ip = service.getSpec().getClusterIP();
    return ip == null ? List.of() : List.of(ip);
  }

  private boolean sameFamily(String ip) {
    return ip.contains(":") == (addressLength == 16);
  }

  private int offsetOf(String ip) {
    if (!Cidr.isIpLiteral(ip) || !sameFamily(ip)) {
      return -1;
    }
    BigInteger value;
    try {
      value = new BigInteger(1, InetAddress.getByName(ip).getAddress());
    } catch (UnknownHostException e) {
      return -1;
    }
    BigInteger offset = value.subtract(base);
    if (offset.signum() < 0 || offset.compareTo(BigInteger.valueOf(bitmap.size())) >= 0) {
      return -1;
    }
    return offset.intValueExact();
  }

  private String addressAt(int offset) {
    return parsed.addressAt(offset + 1L);
  }
}
