package dev.skiff.network.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The {@code nameserver} lines of a resolv.conf, which is where the node's own resolvers are. */
public final class ResolvConf {
  public static final Path DEFAULT_PATH = Path.of("/etc/resolv.conf");

  private ResolvConf() {}

  /**
   * Upstream resolvers in file order, port 53. Loopback resolvers (systemd-resolved's stub) are
   * kept: the DNS server runs on the node, where they are reachable.
   */
  public static List<InetSocketAddress> nameservers(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String line : lines) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length >= 2 && fields[0].equals("nameserver")) {
        String address = fields[1];
        int zone = address.indexOf('%');
        if (zone > 0) {
          address = address.substring(0, zone);
        }
        servers.add(new InetSocketAddress(address, 53));
      }
    }
    return servers;
  }
}
