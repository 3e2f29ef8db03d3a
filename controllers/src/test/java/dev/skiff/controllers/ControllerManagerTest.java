package dev.skiff.controllers;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.AppWorkload;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ControllerManagerTest {
  private static ControllerManagerOptions options(String identity) {
    return new ControllerManagerOptions(
        identity,
        Set.of("replicaset"),
        2,
        true,
        Duration.ofSeconds(2),
        Duration.ofMillis(1500),
        Duration.ofMillis(200),
        12_500);
  }

  private static void replicaSet(KubernetesClient client, String name, int replicas) {
    client.resource(AppWorkload.replicaSet(name, replicas)).create();
  }

  private static String holder(KubernetesClient client) {
    var lease =
        client.leases().inNamespace("kube-system").withName("kube-controller-manager").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void aStandbyManagerTakesOverWhenTheLeaderStops() {
    try (TestCluster cluster = new TestCluster()) {
      KubernetesClient client = cluster.client();
      ControllerManager first = new ControllerManager(cluster.newClient(), options("first"));
      ControllerManager second = new ControllerManager(cluster.newClient(), options("second"));
      try {
        first.start();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> first.isLeading() && "first".equals(holder(client)));
        second.start();
        ControllerManager leader = first;
        ControllerManager standby = second;

        replicaSet(client, "web", 2);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                            .pods()
                            .inNamespace("default")
                            .withLabel("app", "web")
                            .list()
                            .getItems()
                            .size()
                        == 2);
        assertTrue(leader.metrics().contains("workqueue_adds_total{name=\"replicaset\"}"));

        leader.close();
        assertFalse(standby.isLeading(), "the standby waits while the leader renews");
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> standby.isLeading() && "second".equals(holder(client)));
        replicaSet(client, "api", 1);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    client
                            .pods()
                            .inNamespace("default")
                            .withLabel("app", "api")
                            .list()
                            .getItems()
                            .size()
                        == 1);
      } finally {
        first.close();
        second.close();
      }
    }
  }
}
