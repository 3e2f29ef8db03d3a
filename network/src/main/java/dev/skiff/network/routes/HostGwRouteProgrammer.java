package dev.skiff.network.routes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * flannel's host-gw design with {@code ip route}: each other node's podCIDR via that node's IP.
 * Every route it adds carries routing protocol {@value #PROTO}, so it can tell its routes from
 * anyone else's and remove exactly those. {@code prefix} is prepended to each command ({@code ip
 * netns exec NAME} in tests).
 */
public final class HostGwRouteProgrammer implements RouteProgrammer {
  /** The {@code proto} tag on Skiff's routes (an unassigned number in rt_protos). */
  public static final int PROTO = 77;

  /** Discard device for the service range; see {@link #installBlackholes}. */
  public static final String SERVICE_DISCARD_DEVICE = "skiff-svc0";

  private final List<String> prefix;

  public HostGwRouteProgrammer(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  public static HostGwRouteProgrammer host() {
    return new HostGwRouteProgrammer(List.of());
  }

  @Override
  public void syncNodeRoutes(Collection<NodeRoute> routes) throws IOException {
    Map<String, String> current = gatewayRoutes();
    Set<String> wanted = new HashSet<>();
    for (NodeRoute r : routes) {
      wanted.add(r.podCidr());
      if (!r.nodeIp().equals(current.get(r.podCidr()))) {
        ip("route", "replace", r.podCidr(), "via", r.nodeIp(), "proto", Integer.toString(PROTO));
      }
    }
    for (String cidr : current.keySet()) {
      if (!wanted.contains(cidr)) {
        ip("route", "del", cidr, "proto", Integer.toString(PROTO));
      }
    }
  }

  /**
   * The pod range gets a real {@code blackhole} route: the local bridge's and other nodes' /24s are
   * more specific. The service range cannot: a blackhole would make {@code connect()} to a
   * ClusterIP fail on the node before the proxy's DNAT ever sees the packet. It is routed into a
   * dummy device instead, which accepts the connect and discards whatever the proxy did not
   * rewrite.
   */
  @Override
  public void installBlackholes(String clusterCidr, String serviceCidr) throws IOException {
    String proto = Integer.toString(PROTO);
    ip("route", "replace", "blackhole", clusterCidr, "proto", proto);
    if (run(List.of("ip", "link", "show", SERVICE_DISCARD_DEVICE)).exit != 0) {
      ip("link", "add", SERVICE_DISCARD_DEVICE, "type", "bridge");
    }
    ip("link", "set", SERVICE_DISCARD_DEVICE, "up");
    ip("route", "replace", serviceCidr, "dev", SERVICE_DISCARD_DEVICE, "proto", proto);
  }

  /** Turns on IPv4 forwarding, which routing between pods and nodes needs. */
  public void enableForwarding() throws IOException {
    // Through /proc rather than sysctl(8): fewer host packages, and /proc/sys/net is per namespace.
    Result r = run(List.of("sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward"));
    if (r.exit != 0) {
      throw new IOException("cannot enable IPv4 forwarding: " + r.output.strip());
    }
  }

  @Override
  public void removeAll() throws IOException {
    ip("route", "flush", "proto", Integer.toString(PROTO));
    if (run(List.of("ip", "link", "show", SERVICE_DISCARD_DEVICE)).exit == 0) {
      ip("link", "del", SERVICE_DISCARD_DEVICE);
    }
  }

  /** Skiff's gateway routes: podCIDR to next hop. */
  Map<String, String> gatewayRoutes() throws IOException {
    Map<String, String> routes = new HashMap<>();
    String out = ip("-4", "route", "show", "proto", Integer.toString(PROTO));
    for (String line : out.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length >= 3 && f[1].equals("via")) {
        routes.put(f[0], f[2]);
      }
    }
    return routes;
  }

  private String ip(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    Result r = run(command);
    if (r.exit != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + r.output.strip());
    }
    return r.output;
  }

  private record Result(int exit, String output) {}

  private Result run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", full) + " did not finish in 30s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", full), e);
    }
    return new Result(p.exitValue(), output);
  }
}
