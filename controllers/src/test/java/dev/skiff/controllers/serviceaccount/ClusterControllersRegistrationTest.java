package dev.skiff.controllers.serviceaccount;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.ControllerManager;
import dev.skiff.controllers.ControllerManagerOptions;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The controller manager starts the cluster controllers by their upstream names. */
class ClusterControllersRegistrationTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";

  @Test
  void namedClusterControllersRunInTheControllerManager() {
    try (TestCluster cluster = new TestCluster()) {
      var client = cluster.client();
      var options =
          new ControllerManagerOptions(
                  "test",
                  Set.of("serviceaccount", "root-ca-cert-publisher", "nodeipam"),
                  2,
                  false,
                  Duration.ofSeconds(15),
                  Duration.ofSeconds(10),
                  Duration.ofSeconds(2),
                  12_500)
              .withRootCaBundle(CA)
              .withClusterCidr("10.50.0.0/16", 24);
      try (ControllerManager manager = new ControllerManager(client, options)) {
        manager.start();
        client
            .resource(
                new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata().build())
            .create();
        client
            .resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build())
            .create();
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    client.serviceAccounts().inNamespace("apps").withName("default").get() != null
                        && client
                                .configMaps()
                                .inNamespace("apps")
                                .withName("kube-root-ca.crt")
                                .get()
                            != null);
        assertEquals(
            CA,
            client
                .configMaps()
                .inNamespace("apps")
                .withName("kube-root-ca.crt")
                .get()
                .getData()
                .get("ca.crt"));
        String cidr =
            await()
                .atMost(Duration.ofSeconds(30))
                .until(
                    () -> client.nodes().withName("node-1").get().getSpec().getPodCIDR(),
                    c -> c != null);
        assertEquals("10.50.0.0/24", cidr);
      }
    }
  }
}
