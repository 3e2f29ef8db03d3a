package dev.skiff.controllers.nodeipam;

import java.util.BitSet;
import java.util.Optional;

/**
 * The node subnets of an IPv4 cluster CIDR, each either free or taken: {@code 10.42.0.0/16} with
 * mask size 24 holds 256 subnets {@code 10.42.0.0/24} … {@code 10.42.255.0/24}.
 */
public final class CidrSet {
  private final long base;
  private final int clusterPrefix;
  private final int maskSize;
  private final int size;
  private final BitSet taken = new BitSet();
  private int next;

  public CidrSet(String clusterCidr, int maskSize) {
    String[] parts = clusterCidr.split("/");
    if (parts.length != 2 || parts[0].contains(":")) {
      throw new IllegalArgumentException("cluster CIDR must be an IPv4 CIDR: " + clusterCidr);
    }
    this.clusterPrefix = Integer.parseInt(parts[1]);
    if (clusterPrefix < 0 || clusterPrefix > 32 || maskSize < clusterPrefix || maskSize > 32) {
      throw new IllegalArgumentException(
          "node CIDR mask size " + maskSize + " does not fit cluster CIDR " + clusterCidr);
    }
    if (maskSize - clusterPrefix > 24) {
      throw new IllegalArgumentException(
          "node CIDR mask size " + maskSize + " gives too many subnets of " + clusterCidr);
    }
    long mask = clusterPrefix == 0 ? 0 : (0xFFFFFFFFL << (32 - clusterPrefix)) & 0xFFFFFFFFL;
    this.base = toLong(parts[0]) & mask;
    this.maskSize = maskSize;
    this.size = 1 << (maskSize - clusterPrefix);
  }

  /** Takes the next free subnet after the last one handed out, wrapping around. */
  public synchronized Optional<String> allocateNext() {
    for (int i = 0; i < size; i++) {
      int candidate = (next + i) % size;
      if (!taken.get(candidate)) {
        taken.set(candidate);
        next = (candidate + 1) % size;
        return Optional.of(format(candidate));
      }
    }
    return Optional.empty();
  }

  /** Marks {@code cidr} taken; false if it is not one of this set's subnets. */
  public synchronized boolean occupy(String cidr) {
    int index = indexOf(cidr);
    if (index < 0) {
      return false;
    }
    taken.set(index);
    return true;
  }

  public synchronized void release(String cidr) {
    int index = indexOf(cidr);
    if (index >= 0) {
      taken.clear(index);
    }
  }

  public synchronized boolean isTaken(String cidr) {
    int index = indexOf(cidr);
    return index >= 0 && taken.get(index);
  }

  private int indexOf(String cidr) {
    String[] parts = cidr.split("/");
    if (parts.length != 2 || parts[0].contains(":") || Integer.parseInt(parts[1]) != maskSize) {
      return -1;
    }
    long address = toLong(parts[0]);
    long offset = address - base;
    long step = 1L << (32 - maskSize);
    if (offset < 0 || offset % step != 0 || offset / step >= size) {
      return -1;
    }
    return (int) (offset / step);
  }

  private String format(int index) {
    long address = base + ((long) index << (32 - maskSize));
    return ((address >> 24) & 0xFF)
        + "."
        + ((address >> 16) & 0xFF)
        + "."
        + ((address >> 8) & 0xFF)
        + "."
        + (address & 0xFF)
        + "/"
        + maskSize;
  }

  private static long toLong(String ip) {
    String[] octets = ip.split("\\.");
    if (octets.length != 4) {
      throw new IllegalArgumentException("not an IPv4 address: " + ip);
    }
    long value = 0;
    for (String octet : octets) {
      int b = Integer.parseInt(octet);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("not an IPv4 address: " + ip);
      }
      value = (value << 8) | b;
    }
    return value;
  }
}
