package dev.skiff.api.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 prefix such as {@code 10.43.0.0/16}; host bits in the input are dropped. */
public record Cidr(BigInteger network, int prefixLength, int addressLength) {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  public static boolean isIpLiteral(String s) {
    if (s == null) {
      return false;
    }
    if (IPV4.matcher(s).matches()) {
      for (String part : s.split("\\.")) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    return IPV6.matcher(s).matches();
  }

  public static Cidr parse(String text) {
    int slash = text == null ? -1 : text.indexOf('/');
    if (slash < 0 || !isIpLiteral(text.substring(0, slash))) {
      throw new IllegalArgumentException("invalid CIDR address: " + text);
    }
    byte[] address;
    int prefix;
    try {
      address = InetAddress.getByName(text.substring(0, slash)).getAddress();
      prefix = Integer.parseInt(text.substring(slash + 1));
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("invalid CIDR address: " + text, e);
    }
    int bits = address.length * 8;
    if (prefix < 0 || prefix > bits) {
      throw new IllegalArgumentException("invalid CIDR address: " + text);
    }
    BigInteger mask =
        BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE).shiftRight(prefix).not();
    BigInteger network = new BigInteger(1, address).and(mask);
    return new Cidr(network, prefix, address.length);
  }

  public int hostBits() {
    return addressLength * 8 - prefixLength;
  }

  public boolean contains(String ip) {
    if (!isIpLiteral(ip) || ip.contains(":") != (addressLength == 16)) {
      return false;
    }
    try {
      BigInteger value = new BigInteger(1, InetAddress.getByName(ip).getAddress());
      return value.shiftRight(hostBits()).equals(network.shiftRight(hostBits()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The address at {@code offset} from the network address. */
  public String addressAt(long offset) {
    byte[] raw = network.add(BigInteger.valueOf(offset)).toByteArray();
    byte[] address = new byte[addressLength];
    int copy = Math.min(raw.length, addressLength);
    System.arraycopy(raw, raw.length - copy, address, addressLength - copy, copy);
    return format(address);
  }

  /** Dotted quad, or RFC 5952 text for IPv6 (longest zero run compressed, lower case). */
  public static String format(byte[] address) {
    if (address.length == 4) {
      return (address[0] & 0xff)
          + "."
          + (address[1] & 0xff)
          + "."
          + (address[2] & 0xff)
          + "."
          + (address[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return addressAt(0) + "/" + prefixLength;
  }
}
