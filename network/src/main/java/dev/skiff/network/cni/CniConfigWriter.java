package dev.skiff.network.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's CNI network configuration, written where the runtime looks for it ({@code
 * /etc/cni/net.d}): {@code 10-skiff.conflist} chains {@code bridge} (bridge {@code skiff0}, the
 * gateway for the node's podCIDR, hairpin mode so a pod reaches itself through its Service), {@code
 * host-local} IPAM over the podCIDR, and {@code portmap} for hostPorts; {@code 99-loopback.conf}
 * brings up each pod's {@code lo}. No IP masquerade: pod-to-pod traffic across nodes keeps its
 * addresses (host-gw routing).
 */
public final class CniConfigWriter {
  public static final String NETWORK_NAME = "skiff";
  public static final String BRIDGE = "skiff0";
  public static final String CONFLIST = "10-skiff.conflist";
  public static final String LOOPBACK = "99-loopback.conf";
  public static final String CNI_VERSION = "1.0.0";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private CniConfigWriter() {}

  /** The conflist for a node whose pods get addresses from {@code podCidr}. */
  public static String conflist(String podCidr, int mtu) {
    if (mtu < 576 || mtu > 65535) {
      throw new IllegalArgumentException("MTU must be within [576, 65535], got " + mtu);
    }
    dev.skiff.api.net.Cidr.parse(podCidr);
    String defaultRoute = podCidr.contains(":") ? "::/0" : "0.0.0.0/0";
    Map<String, Object> ipam = new LinkedHashMap<>();
    ipam.put("type", "host-local");
    ipam.put("ranges", List.of(List.of(Map.of("subnet", podCidr))));
    ipam.put("routes", List.of(Map.of("dst", defaultRoute)));
    Map<String, Object> bridge = new LinkedHashMap<>();
    bridge.put("type", "bridge");
    bridge.put("bridge", BRIDGE);
    bridge.put("isGateway", true);
    bridge.put("ipMasq", false);
    bridge.put("hairpinMode", true);
    bridge.put("mtu", mtu);
    bridge.put("ipam", ipam);
    Map<String, Object> portmap = new LinkedHashMap<>();
    portmap.put("type", "portmap");
    portmap.put("capabilities", Map.of("portMappings", true));
    portmap.put("snat", true);
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("cniVersion", CNI_VERSION);
    conf.put("name", NETWORK_NAME);
    conf.put("plugins", List.of(bridge, portmap));
    return json(conf);
  }

  public static String loopback() {
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("cniVersion", CNI_VERSION);
    conf.put("name", "cni-loopback");
    conf.put("type", "loopback");
    return json(conf);
  }

  /**
   * Writes both files into {@code dir} (created if missing), each atomically so the runtime never
   * reads half a file. Returns the conflist's path.
   */
  public static Path write(Path dir, String podCidr, int mtu) throws IOException {
    String list = conflist(podCidr, mtu);
    Files.createDirectories(dir);
    writeAtomically(dir.resolve(LOOPBACK), loopback());
    return writeAtomically(dir.resolve(CONFLIST), list);
  }

  private static Path writeAtomically(Path target, String content) throws IOException {
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(temp, content);
    return Files.move(
        temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private static String json(Object value) {
    try {
      return JSON.writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
