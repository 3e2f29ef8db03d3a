package dev.skiff.runtime.cni;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** CNI network configuration lists (.conflist): the node's default, or one read from disk. */
public final class CniNetworkConfig {
  static final ObjectMapper JSON = new ObjectMapper();
  public static final String VERSION = "1.0.0";

  private CniNetworkConfig() {}

  /**
   * A bridge on the node's pod CIDR with host-local addresses (kept in {@code ipamDataDir}), the
   * bridge as gateway, hairpin on, no masquerading, and portmap for hostPorts.
   */
  public static JsonNode bridge(
      String networkName, String bridgeName, String podCidr, Path ipamDataDir) {
    ObjectNode list = JSON.createObjectNode();
    list.put("cniVersion", VERSION).put("name", networkName);
    var plugins = list.putArray("plugins");
    ObjectNode bridge = plugins.addObject();
    bridge
        .put("type", "bridge")
        .put("bridge", bridgeName)
        .put("isGateway", true)
        .put("ipMasq", false)
        .put("hairpinMode", true);
    ObjectNode ipam = bridge.putObject("ipam");
    ipam.put("type", "host-local").put("dataDir", ipamDataDir.toString());
    ipam.putArray("ranges").addArray().addObject().put("subnet", podCidr);
    ipam.putArray("routes").addObject().put("dst", "0.0.0.0/0");
    ObjectNode portmap = plugins.addObject();
    portmap.put("type", "portmap").put("snat", true);
    portmap.putObject("capabilities").put("portMappings", true);
    return list;
  }

  /** Reads a .conflist file. */
  public static JsonNode read(Path file) {
    try {
      JsonNode list = JSON.readTree(file.toFile());
      if (!list.has("plugins") || !list.has("name")) {
        throw new CniException(7, file + " is not a CNI network configuration list");
      }
      return list;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CNI config " + file, e);
    }
  }
}
