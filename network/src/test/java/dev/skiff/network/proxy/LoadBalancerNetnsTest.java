package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.network.testing.TestNetns;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A LoadBalancer Service whose ingress IP is the node's own address, as the service load balancer
 * publishes it, with real iptables in namespaces this test makes: a "node" with two client links
 * ("allowed" at 192.168.77.2, "denied" at 192.168.78.2) and a "pods" side with one web server.
 */
class LoadBalancerNetnsTest {
  private static final String NODE_IP = "192.168.77.1";

  @TempDir Path dir;

  @Test
  void loadBalancerIpServesClientsInsideTheSourceRangesOnly() throws Exception {
    assumeTrue(TestNetns.available(), "needs root, ip and iptables");
    try (TestNetns net = new TestNetns()) {
      String node = net.add("node");
      String pods = net.add("pods");
      String allowed = net.add("allowed");
      String denied = net.add("denied");
      net.veth(node, "10.42.9.1/24", pods, "10.42.9.2/24");
      net.veth(node, NODE_IP + "/24", allowed, "192.168.77.2/24");
      net.veth(node, "192.168.78.1/24", denied, "192.168.78.2/24");
      net.exec(denied, "ip", "route", "add", "192.168.77.0/24", "via", "192.168.78.1");
      net.exec(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
      Path root = Files.createDirectories(dir.resolve("www"));
      Files.writeString(root.resolve("index.html"), "backend\n");
      net.start(pods, "busybox", "httpd", "-f", "-p", "10.42.9.2:8080", "-h", root.toString());

      IptablesSyncer syncer =
          new IptablesSyncer(
              ProxyConfig.of("node-a", "10.42.0.0/16"), IptablesCommand.inNetns(node));
      var endpoints = List.of(slice("default", "web", 80, 8080, "10.42.9.2"));

      syncer.sync(List.of(loadBalancer(List.of())), endpoints);
      assertEquals("backend", fetch(net, allowed));
      assertEquals("backend", fetch(net, denied));

      syncer.sync(List.of(loadBalancer(List.of("192.168.77.0/24"))), endpoints);
      assertEquals("backend", fetch(net, allowed));
      TestNetns.Outcome refused = get(net, denied);
      assertNotEquals(0, refused.exit(), refused.output());

      syncer.cleanup();
      String filter = net.exec(node, "iptables-save", "-t", "filter");
      String nat = net.exec(node, "iptables-save", "-t", "nat");
      assertFalse(filter.contains("KUBE-"), filter);
      assertFalse(nat.contains("KUBE-"), nat);
    }
  }

  private static Service loadBalancer(List<String> sourceRanges) {
    return service("default", "web", "10.43.200.30", 80)
        .editSpec()
        .withType("LoadBalancer")
        .withLoadBalancerSourceRanges(sourceRanges)
        .editFirstPort()
        .withNodePort(30200)
        .endPort()
        .endSpec()
        .withNewStatus()
        .withNewLoadBalancer()
        .addNewIngress()
        .withIp(NODE_IP)
        .endIngress()
        .endLoadBalancer()
        .endStatus()
        .build();
  }

  private static String fetch(TestNetns net, String client) throws Exception {
    TestNetns.Outcome o = get(net, client);
    assertEquals(0, o.exit(), o.output());
    String out = o.output().replace("\r", "");
    return out.substring(out.indexOf("\n\n") + 2).strip();
  }

  /** {@code GET /} to the load-balancer IP on the service port, from {@code client}. */
  private static TestNetns.Outcome get(TestNetns net, String client) throws Exception {
    return net.tryExec(
        client,
        "sh",
        "-c",
        "printf 'GET / HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 3 " + NODE_IP + " 80");
  }
}
