package dev.skiff.controllers.nodeipam;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NodeIpamControllerTest {
  private TestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void createNode(KubernetesClient client, String name, String podCidr) {
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withPodCIDR(podCidr)
                .withPodCIDRs(podCidr == null ? List.of() : List.of(podCidr))
                .endSpec()
                .build())
        .create();
  }

  private static String awaitCidr(KubernetesClient client, String name) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              Node node = client.nodes().withName(name).get();
              return node == null ? null : node.getSpec().getPodCIDR();
            },
            cidr -> cidr != null);
  }

  @Test
  void allocatesFreeSubnetsAroundExistingOnesAndReusesThoseOfDeletedNodes() throws Exception {
    cluster = new TestCluster();
    KubernetesClient client = cluster.client();
    // Allocated by an earlier run of the controller: must not be handed out again.
    createNode(client, "old", "10.42.0.0/24");
    cluster.start(c -> new NodeIpamController(c, "10.42.0.0/16", 24));
    createNode(client, "a", null);
    String a = awaitCidr(client, "a");
    assertEquals("10.42.1.0/24", a);
    assertEquals(List.of(a), client.nodes().withName("a").get().getSpec().getPodCIDRs());
    createNode(client, "b", null);
    String b = awaitCidr(client, "b");
    assertNotEquals(a, b);
    client.nodes().withName("old").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.nodes().withName("old").get() == null);
    // The set wraps around to the released subnet once the later ones are taken.
    for (int i = 0; i < 253; i++) {
      createNode(client, "n" + i, "10.42." + (i + 3) + ".0/24");
    }
    createNode(client, "late", null);
    assertEquals("10.42.0.0/24", awaitCidr(client, "late"));
  }
}
