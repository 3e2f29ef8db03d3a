package dev.skiff.runtime.cni;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PortMapping;
import dev.skiff.runtime.Protocol;
import dev.skiff.runtime.TestHost;
import dev.skiff.runtime.TestImages;
import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.os.NetworkNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real bridge, host-local, loopback and portmap plugins on a test bridge and netns. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BridgeNetworkTest {
  static final Duration T = Duration.ofSeconds(20);
  private final NetworkNamespaces netns = new NetworkNamespaces();
  @TempDir Path dir;

  @Test
  void addsChecksAndDeletesAPodNetwork() throws Exception {
    TestImages.assumeRoot();
    String name = "skiff-cni-" + UUID.randomUUID().toString().substring(0, 8);
    Path ns = netns.create(name);
    Path ipam = dir.resolve("ipam");
    var net =
        new CniPodNetwork(
            new CniPlugins(List.of(Path.of("/usr/lib/cni"))),
            CniNetworkConfig.bridge("skiff-cni-test", "skiff-test1", "10.244.251.0/24", ipam));
    var pod =
        new PodSandboxConfig(
            new PodSandboxMetadata("web", "u1", "default", 0),
            "web",
            null,
            null,
            List.of(new PortMapping(Protocol.TCP, 80, 38080, null)),
            null,
            null,
            null);
    try {
      String ip = net.setUp("sb-cni-test", ns.toString(), pod, dir).ip();
      assertTrue(ip.startsWith("10.244.251."), ip);
      String addrs =
          Command.run(List.of("ip", "netns", "exec", name, "ip", "-4", "addr"), T).check().out();
      assertTrue(addrs.contains("inet " + ip + "/24"), addrs);
      assertTrue(addrs.contains("inet 127.0.0.1/8"), "loopback is up: " + addrs);
      Command.run(List.of("busybox", "ping", "-c", "1", "-W", "2", ip), T).check();
      assertTrue(nat().contains("--dport 38080"), "portmap installed the hostPort DNAT");
      assertTrue(Files.exists(ipam.resolve("skiff-cni-test").resolve(ip)));

      net.tearDown("sb-cni-test", ns.toString(), pod, dir);
      assertFalse(Files.exists(ipam.resolve("skiff-cni-test").resolve(ip)), "address released");
      assertFalse(nat().contains("--dport 38080"), "hostPort rule removed");
      net.tearDown("sb-cni-test", ns.toString(), pod, dir);
    } finally {
      tearDown(net, "sb-cni-test", ns, pod);
    }
  }

  @Test
  void checkVerifiesALiveNetwork() throws Exception {
    TestImages.assumeRoot();
    Path ns = netns.create("skiff-cni-" + UUID.randomUUID().toString().substring(0, 8));
    var net =
        new CniPodNetwork(
            new CniPlugins(List.of(Path.of("/usr/lib/cni"))),
            CniNetworkConfig.bridge(
                "skiff-cni-test", "skiff-test1", "10.244.251.0/24", dir.resolve("ipam")));
    var pod =
        new PodSandboxConfig(
            new PodSandboxMetadata("web", "u1", "default", 0),
            "web",
            null,
            null,
            null,
            null,
            null,
            null);
    try {
      net.setUp("sb-cni-check", ns.toString(), pod, dir);
      net.check("sb-cni-check", ns.toString(), pod, dir);
      Command.run(
              List.of(
                  "ip",
                  "netns",
                  "exec",
                  ns.getFileName().toString(),
                  "ip",
                  "link",
                  "delete",
                  "eth0"),
              T)
          .check();
      assertThrows(CniException.class, () -> net.check("sb-cni-check", ns.toString(), pod, dir));
    } finally {
      tearDown(net, "sb-cni-check", ns, pod);
    }
  }

  /** Tears the pod's network down, then removes its netns, the test bridge and portmap's chains. */
  private void tearDown(CniPodNetwork net, String sandbox, Path ns, PodSandboxConfig pod) {
    try {
      net.tearDown(sandbox, ns.toString(), pod, dir);
    } finally {
      netns.delete(ns);
      TestHost.deleteLink("skiff-test1");
      removeUnusedPortmapChains();
    }
  }

  /** portmap leaves its shared chains behind; drop them when no pod rule uses them. */
  static void removeUnusedPortmapChains() {
    String rules = nat();
    if (rules
        .lines()
        .anyMatch(l -> l.startsWith("-A CNI-HOSTPORT-DNAT ") || l.startsWith("-A CNI-DN-"))) return;
    for (String jump :
        List.of(
            "PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
            "OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT",
            "POSTROUTING -m comment --comment CNI portfwd requiring masquerade -j CNI-HOSTPORT-MASQ")) {
      List<String> cmd = new java.util.ArrayList<>(List.of("iptables", "-t", "nat", "-D"));
      if (jump.contains("--comment")) {
        cmd.addAll(
            List.of(
                "POSTROUTING",
                "-m",
                "comment",
                "--comment",
                "CNI portfwd requiring masquerade",
                "-j",
                "CNI-HOSTPORT-MASQ"));
      } else {
        cmd.addAll(List.of(jump.split(" ")));
      }
      Command.run(cmd, T);
    }
    for (String chain : List.of("CNI-HOSTPORT-DNAT", "CNI-HOSTPORT-MASQ", "CNI-HOSTPORT-SETMARK")) {
      Command.run(List.of("iptables", "-t", "nat", "-F", chain), T);
      Command.run(List.of("iptables", "-t", "nat", "-X", chain), T);
    }
  }

  static String nat() {
    return Command.run(List.of("iptables", "-t", "nat", "-S"), T).check().out();
  }
}
