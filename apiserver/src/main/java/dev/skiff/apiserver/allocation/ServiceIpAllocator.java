package dev.skiff.apiserver.allocation;

import dev.skiff.api.net.Cidr;
import io.fabric8.kubernetes.api.model.Service;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.List;

/**
 * ClusterIPs from one service CIDR, one bit per address. The network address (and, for IPv4, the
 * broadcast address) is never handed out; ranges larger than 65,536 addresses are capped, as
 * upstream does. Safe for concurrent use: two creates never get the same IP.
 */
public final class ServiceIpAllocator extends BitmapAllocator<String> {
  private static final int MAX_SIZE = 1 << 16;

  private final Cidr parsed;
  private final String cidr;
  private final BigInteger base;
  private final int addressLength;

  public ServiceIpAllocator(String cidr) {
    this(Cidr.parse(cidr));
  }

  private ServiceIpAllocator(Cidr parsed) {
    super(bitmapFor(parsed));
    this.parsed = parsed;
    this.cidr = parsed.toString();
    this.addressLength = parsed.addressLength();
    this.base = parsed.network().add(BigInteger.ONE);
  }

  private static AllocationBitmap bitmapFor(Cidr parsed) {
    BigInteger total = BigInteger.ONE.shiftLeft(parsed.hostBits());
    BigInteger usable = total.subtract(BigInteger.valueOf(parsed.addressLength() == 4 ? 2 : 1));
    int size = usable.min(BigInteger.valueOf(MAX_SIZE)).max(BigInteger.ZERO).intValueExact();
    return new AllocationBitmap(size, rangeOffset(total));
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

  /** Repair re-marks a Service's ClusterIPs of this allocator's family; "None" is no IP. */
  @Override
  Collection<String> heldBy(Service service) {
    return clusterIps(service).stream()
        .filter(ip -> Cidr.isIpLiteral(ip) && sameFamily(ip))
        .toList();
  }

  @Override
  String canonical(String range) {
    return Cidr.parse(range).toString();
  }

  @Override
  String mismatchMessage() {
    return "the provided network does not match the current range";
  }

  @Override
  String noun() {
    return "Cluster IP";
  }

  @Override
  String rangeDescription() {
    return "the configured Service CIDR " + cidr;
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

  @Override
  int offsetOf(String ip) {
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
