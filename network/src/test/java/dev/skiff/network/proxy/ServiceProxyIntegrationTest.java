package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.network.testing.TestApiServer;
import dev.skiff.network.testing.TestNetns;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The proxy against the real API server and real iptables (inside a namespace this test makes):
 * Services and EndpointSlices created through the API appear as rules, changes follow, and closing
 * the proxy leaves no rule behind.
 */
class ServiceProxyIntegrationTest {

  @Test
  void rulesFollowServicesAndSlicesAndVanishOnClose() throws Exception {
    assumeTrue(TestNetns.available(), "needs root, ip and iptables");
    try (TestApiServer api = new TestApiServer();
        TestNetns net = new TestNetns()) {
      String node = net.add("proxy");
      var client = api.client();
      client.services().resource(service("default", "web", "10.43.0.20", 80).build()).create();
      client
          .discovery()
          .v1()
          .endpointSlices()
          .resource(slice("default", "web", 80, 8080, "10.42.0.5"))
          .create();

      String sep5 = ChainNames.endpoint("default/web:p80", "tcp", "10.42.0.5:8080");
      String sep6 = ChainNames.endpoint("default/web:p80", "tcp", "10.42.0.6:8080");
      ServiceProxy proxy =
          new ServiceProxy(
              client,
              ProxyConfig.of("node-a", "10.42.0.0/16"),
              IptablesCommand.inNetns(node),
              Duration.ofMillis(100));
      try {
        proxy.start();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> nat(net, node).contains("-j DNAT --to-destination 10.42.0.5:8080"));

        // The backend moves: the new endpoint's chain replaces the old one.
        client
            .discovery()
            .v1()
            .endpointSlices()
            .resource(slice("default", "web", 80, 8080, "10.42.0.6"))
            .update();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  String nat = nat(net, node);
                  return nat.contains(":" + sep6) && !nat.contains(":" + sep5);
                });

        // The Service goes away: so do its chains.
        client.services().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> !nat(net, node).contains("KUBE-SVC-"));
      } finally {
        proxy.close();
      }
      assertFalse(nat(net, node).contains("KUBE-"));
      assertFalse(net.exec(node, "iptables-save", "-t", "filter").contains("KUBE-"));
    }
  }

  private static String nat(TestNetns net, String ns) throws Exception {
    return net.exec(ns, "iptables-save", "-t", "nat");
  }
}
