package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.network.testing.TestNetns;
import io.fabric8.kubernetes.api.model.Service;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real iptables, inside two namespaces this test makes: a "node" that runs the proxy's rules
 * and a "pod" side that runs two web servers. Connections go to the ClusterIP and must land on the
 * backends the EndpointSlice names.
 */
class IptablesNetnsTest {

  @TempDir Path dir;

  @Test
  void clusterIpConnectionsReachTheSlicesEndpointsAndCleanupRemovesEverything() throws Exception {
    assumeTrue(TestNetns.available(), "needs root, ip and iptables");
    try (TestNetns net = new TestNetns()) {
      String node = HttpBackends.start(net, dir);

      IptablesSyncer syncer =
          new IptablesSyncer(
              ProxyConfig.of("node-a", "10.42.0.0/16"), IptablesCommand.inNetns(node));
      Service web = service("default", "web", "10.43.200.10", 80).build();
      Service empty = service("default", "empty", "10.43.200.11", 80).build();
      syncer.sync(
          List.of(web, empty),
          List.of(slice("default", "web", 80, 8080, "10.42.9.2", "10.42.9.3")));

      Set<String> answers = new HashSet<>();
      for (int i = 0; i < 40 && answers.size() < 2; i++) {
        answers.add(HttpBackends.fetch(net, node, "10.43.200.10"));
      }
      assertEquals(Set.of("backend-2", "backend-3"), answers);

      var refused = HttpBackends.get(net, node, "10.43.200.11");
      assertNotEquals(0, refused.exit());
      assertTrue(refused.output().contains("refused"), refused.output());

      // One endpoint leaves: only the other one answers, and the update wrote a small delta.
      var delta =
          syncer.sync(List.of(web, empty), List.of(slice("default", "web", 80, 8080, "10.42.9.3")));
      assertTrue(delta.bytesWritten() > 0);
      for (int i = 0; i < 10; i++) {
        assertEquals("backend-3", HttpBackends.fetch(net, node, "10.43.200.10"));
      }
      assertEquals(
          0,
          syncer
              .sync(List.of(web, empty), List.of(slice("default", "web", 80, 8080, "10.42.9.3")))
              .bytesWritten(),
          "an unchanged cluster writes nothing");

      syncer.cleanup();
      String nat = net.exec(node, "iptables-save", "-t", "nat");
      String filter = net.exec(node, "iptables-save", "-t", "filter");
      assertFalse(nat.contains("KUBE-"), nat);
      assertFalse(filter.contains("KUBE-"), filter);
    }
  }
}
