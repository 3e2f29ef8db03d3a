package dev.skiff.cli.host;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The address a node reports as its InternalIP: the IPv4 address of the interface that carries the
 * default route (read from the kernel's routing table, no traffic sent).
 */
public final class NodeAddress {
  private NodeAddress() {}

  public static String detect() {
    return defaultRouteInterface()
        .flatMap(NodeAddress::ipv4Of)
        .or(NodeAddress::anyUpIpv4)
        .orElse("127.0.0.1");
  }

  static Optional<String> defaultRouteInterface() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length > 2 && f[1].equals("00000000")) {
          return Optional.of(f[0]);
        }
      }
    } catch (IOException e) {
      // No procfs: fall back to any address.
    }
    return Optional.empty();
  }

  private static Optional<String> ipv4Of(String name) {
    try {
      NetworkInterface nic = NetworkInterface.getByName(name);
      return nic == null ? Optional.empty() : firstIpv4(nic);
    } catch (SocketException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> anyUpIpv4() {
    try {
      for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
        if (nic.isUp() && !nic.isLoopback() && !nic.isVirtual()) {
          Optional<String> ip = firstIpv4(nic);
          if (ip.isPresent()) {
            return ip;
          }
        }
      }
    } catch (SocketException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  private static Optional<String> firstIpv4(NetworkInterface nic) {
    return nic.inetAddresses()
        .filter(a -> a instanceof Inet4Address)
        .map(InetAddress::getHostAddress)
        .findFirst();
  }
}
