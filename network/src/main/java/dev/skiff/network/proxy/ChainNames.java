package dev.skiff.network.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Per-service chain names as kube-proxy derives them: the first 16 characters of the base32 of
 * sha256 over the service port name, protocol (and endpoint), so names are stable across restarts
 * and across proxies.
 */
public final class ChainNames {
  private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private ChainNames() {}

  public static String service(String servicePortName, String protocol) {
    return "KUBE-SVC-" + hash(servicePortName + protocol);
  }

  public static String serviceLocal(String servicePortName, String protocol) {
    return "KUBE-SVL-" + hash(servicePortName + protocol);
  }

  public static String external(String servicePortName, String protocol) {
    return "KUBE-EXT-" + hash(servicePortName + protocol);
  }

  public static String firewall(String servicePortName, String protocol) {
    return "KUBE-FW-" + hash(servicePortName + protocol);
  }

  public static String endpoint(String servicePortName, String protocol, String hostPort) {
    return "KUBE-SEP-" + hash(servicePortName + protocol + hostPort);
  }

  static String hash(String input) {
    byte[] digest;
    try {
      digest = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return base32(digest).substring(0, 16);
  }

  private static String base32(byte[] data) {
    StringBuilder out = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        out.append(BASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      out.append(BASE32[(buffer << (5 - bits)) & 31]);
    }
    return out.toString();
  }
}
