package dev.skiff.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A test network on this machine for nodes that each have their own network namespace: a bridge in
 * the host namespace holding the server's address, and per node a namespace joined to it by a veth
 * pair. No default route anywhere in it, so no packet of the test can leave the machine.
 */
final class NodeNetwork implements AutoCloseable {
  static final String PREFIX = "10.199.0.";
  static final String SERVER_IP = PREFIX + "1";

  private final String bridge;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> hostLinks = new ArrayList<>();

  private NodeNetwork(String bridge) {
    this.bridge = bridge;
  }

  /** Creates the bridge with the server's address {@link #SERVER_IP}/24. */
  static NodeNetwork create(String bridge) throws Exception {
    var net = new NodeNetwork(bridge);
    // A run killed before its teardown leaves its bridge behind; the name is this test's own.
    quietly("link", "del", bridge);
    try {
      ip("link", "add", bridge, "type", "bridge");
      ip("addr", "add", SERVER_IP + "/24", "dev", bridge);
      ip("link", "set", bridge, "up");
      return net;
    } catch (Exception | AssertionError e) {
      net.close();
      throw e;
    }
  }

  /** A namespace {@code name} whose {@code eth0} has {@code address}/24 on the bridge. */
  void addNode(String name, String address) throws Exception {
    String hostEnd = "v" + name;
    quietly("netns", "del", name);
    ip("netns", "add", name);
    namespaces.add(name);
    ip("link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", name);
    hostLinks.add(hostEnd);
    ip("link", "set", hostEnd, "master", bridge, "up");
    ip("-n", name, "addr", "add", address + "/24", "dev", "eth0");
    ip("-n", name, "link", "set", "eth0", "up");
    ip("-n", name, "link", "set", "lo", "up");
  }

  /**
   * The command prefix that runs a program in the namespace's network only: {@code ip netns exec}
   * would also remount /sys, hiding the cgroup tree the node's containers need.
   */
  static List<String> inNamespace(String name) {
    return List.of("nsenter", "--net=/var/run/netns/" + name);
  }

  /** Removes every namespace, link and the bridge; what is already gone is no error. */
  @Override
  public void close() throws IOException {
    for (String ns : namespaces.reversed()) {
      quietly("netns", "del", ns);
    }
    for (String link : hostLinks) {
      quietly("link", "del", link);
    }
    quietly("link", "del", bridge);
  }

  private static void quietly(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    try {
      p.waitFor(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
  }

  static boolean available() {
    return Files.isExecutable(Path.of("/usr/bin/nsenter"))
        || Files.isExecutable(Path.of("/bin/nsenter"));
  }
}
