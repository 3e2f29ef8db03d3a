package dev.skiff.network.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.network.proxy.IptablesCommand;
import dev.skiff.network.proxy.IptablesSyncer;
import dev.skiff.network.proxy.ProxyConfig;
import dev.skiff.network.testing.TestNetns;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two "nodes" as namespaces this test makes, joined by a veth: the programmer's routes carry one
 * node's traffic to a pod address on the other, and the blackholes keep unknown pod and service
 * addresses from going anywhere while ClusterIPs still work.
 */
class HostGwRouteProgrammerNetnsTest {
  @TempDir Path dir;

  @Test
  void podTrafficFollowsNodeRoutesAndUnknownClusterAddressesGoNowhere() throws Exception {
    assumeTrue(TestNetns.available(), "needs root, ip and iptables");
    try (TestNetns net = new TestNetns()) {
      String a = net.add("node-a");
      String b = net.add("node-b");
      net.veth(a, "10.99.0.1/24", b, "10.99.0.2/24");
      net.exec(b, "ip", "addr", "add", "10.42.1.5/32", "dev", "lo");
      Files.writeString(dir.resolve("index.html"), "pod-on-b\n");
      net.start(b, "busybox", "httpd", "-f", "-p", "10.42.1.5:8080", "-h", dir.toString());
      net.exec(b, "ip", "route", "add", "10.42.0.0/24", "via", "10.99.0.1");

      HostGwRouteProgrammer routes = new HostGwRouteProgrammer(List.of("ip", "netns", "exec", a));
      routes.enableForwarding();
      assertEquals("1", net.exec(a, "cat", "/proc/sys/net/ipv4/ip_forward").strip());
      assertNotEquals(0, get(net, a, "10.42.1.5", 8080).exit(), "no route before the sync");

      routes.syncNodeRoutes(List.of(new NodeRoute("10.42.1.0/24", "10.99.0.2")));
      assertEquals("pod-on-b", body(get(net, a, "10.42.1.5", 8080)));

      routes.installBlackholes("10.42.0.0/16", "10.43.0.0/16");
      assertEquals("pod-on-b", body(get(net, a, "10.42.1.5", 8080)), "more specific route wins");
      assertBlackholed(net, a, "10.42.7.7");
      assertTrue(net.exec(a, "ip", "route", "get", "10.43.0.99").contains("skiff-svc0"));

      // A ClusterIP still works from the node itself: the discard route lets connect() through
      // and the proxy's DNAT sends it to the pod.
      IptablesSyncer proxy =
          new IptablesSyncer(ProxyConfig.of("node-a", "10.42.0.0/16"), IptablesCommand.inNetns(a));
      proxy.sync(
          List.of(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withNamespace("default")
                  .withName("web")
                  .endMetadata()
                  .withNewSpec()
                  .withClusterIP("10.43.0.10")
                  .addNewPort()
                  .withName("http")
                  .withPort(80)
                  .withProtocol("TCP")
                  .endPort()
                  .endSpec()
                  .build()),
          List.of(
              new EndpointSliceBuilder()
                  .withNewMetadata()
                  .withNamespace("default")
                  .withName("web-1")
                  .withLabels(Map.of("kubernetes.io/service-name", "web"))
                  .endMetadata()
                  .withAddressType("IPv4")
                  .addNewPort()
                  .withName("http")
                  .withPort(8080)
                  .withProtocol("TCP")
                  .endPort()
                  .addNewEndpoint()
                  .withAddresses("10.42.1.5")
                  .endEndpoint()
                  .build()));
      assertEquals("pod-on-b", body(get(net, a, "10.43.0.10", 80)));

      // The node leaves: its route goes, and its pods are unreachable (blackholed) again.
      routes.syncNodeRoutes(List.of());
      assertBlackholed(net, a, "10.42.1.5");

      proxy.cleanup();
      routes.removeAll();
      assertEquals("", net.exec(a, "ip", "route", "show", "proto", "77").strip());
      assertFalse(net.exec(a, "ip", "link").contains("skiff-svc0"));
    }
  }

  /** The kernel refuses to send to a blackholed address at all: connect() fails with EINVAL. */
  private static void assertBlackholed(TestNetns net, String ns, String ip) throws Exception {
    TestNetns.Outcome o = get(net, ns, ip, 80);
    assertNotEquals(0, o.exit());
    assertTrue(o.output().contains("Invalid argument"), o.output());
  }

  private static TestNetns.Outcome get(TestNetns net, String ns, String ip, int port)
      throws Exception {
    return net.tryExec(
        ns, "sh", "-c", "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 " + ip + " " + port);
  }

  private static String body(TestNetns.Outcome o) {
    assertEquals(0, o.exit(), o.output());
    String out = o.output().replace("\r", "");
    return out.substring(out.indexOf("\n\n") + 2).strip();
  }
}
