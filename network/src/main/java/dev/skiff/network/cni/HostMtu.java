package dev.skiff.network.cni;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The MTU pods should use: that of the interface carrying the node's traffic, since host-gw adds no
 * encapsulation. Read from sysfs so no command runs.
 */
public final class HostMtu {
  private HostMtu() {}

  /** MTU of {@code iface} under {@code sysClassNet} (normally {@code /sys/class/net}). */
  public static int of(Path sysClassNet, String iface) {
    Path file = sysClassNet.resolve(iface).resolve("mtu");
    try {
      return Integer.parseInt(Files.readString(file).strip());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the MTU of " + iface + " at " + file, e);
    }
  }
}
