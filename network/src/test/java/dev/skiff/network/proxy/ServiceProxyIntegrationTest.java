package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.network.testing.TestApiServer;
import dev.skiff.network.testing.TestNetns;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy against the real API server and real iptables (inside a namespace this test makes):
 * Services and EndpointSlices created through the API appear as rules, changes follow, and closing
 * the proxy leaves no rule behind; a backend marked not ready stops getting connections.
 */
class ServiceProxyIntegrationTest {
  @TempDir Path dir;

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
      ServiceProxy proxy = proxyIn(node, client);
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

  @Test
  void backendThatTurnsUnreadyLeavesRotation() throws Exception {
    assumeTrue(TestNetns.available(), "needs root, ip and iptables");
    try (TestApiServer api = new TestApiServer();
        TestNetns net = new TestNetns()) {
      String node = HttpBackends.start(net, dir);
      var client = api.client();
      client.services().resource(service("default", "web", "10.43.0.30", 80).build()).create();
      var slices = client.discovery().v1().endpointSlices();
      slices.resource(slice("default", "web", 80, 8080, "10.42.9.2", "10.42.9.3")).create();

      ServiceProxy proxy = proxyIn(node, client);
      try {
        proxy.start();
        Set<String> answers = new HashSet<>();
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> {
                  answers.add(HttpBackends.fetch(net, node, "10.43.0.30"));
                  return answers.equals(Set.of("backend-2", "backend-3"));
                });

        // Its readiness probe fails: the endpoint stays in the slice, marked not ready.
        slices.resource(slice("default", "web", 80, 8080, "10.42.9.2?", "10.42.9.3")).update();
        String sep2 = ChainNames.endpoint("default/web:p80", "tcp", "10.42.9.2:8080");
        await().atMost(Duration.ofSeconds(10)).until(() -> !nat(net, node).contains(":" + sep2));
        for (int i = 0; i < 20; i++) {
          assertEquals("backend-3", HttpBackends.fetch(net, node, "10.43.0.30"));
        }

        slices.resource(slice("default", "web", 80, 8080, "10.42.9.2", "10.42.9.3")).update();
        answers.clear();
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> {
                  answers.add(HttpBackends.fetch(net, node, "10.43.0.30"));
                  return answers.contains("backend-2");
                });
      } finally {
        proxy.close();
      }
    }
  }

  /** A proxy for node-a whose iptables rules go into the namespace {@code node}. */
  private static ServiceProxy proxyIn(String node, KubernetesClient client) {
    return new ServiceProxy(
        client,
        ProxyConfig.of("node-a", "10.42.0.0/16"),
        IptablesCommand.inNetns(node),
        Duration.ofMillis(100));
  }

  private static String nat(TestNetns net, String ns) throws Exception {
    return net.exec(ns, "iptables-save", "-t", "nat");
  }
}
