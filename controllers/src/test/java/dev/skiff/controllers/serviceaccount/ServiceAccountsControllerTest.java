package dev.skiff.controllers.serviceaccount;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceAccountsControllerTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.start(ServiceAccountsController::new, c -> new RootCaCertPublisher(c, CA));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void createNamespace(String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  @Test
  void everyNamespaceGetsTheDefaultServiceAccountBackAfterDeletion() {
    createNamespace("team-a");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.serviceAccounts().inNamespace("team-a").withName("default").get() != null);
    String uid =
        client
            .serviceAccounts()
            .inNamespace("team-a")
            .withName("default")
            .get()
            .getMetadata()
            .getUid();
    client.serviceAccounts().inNamespace("team-a").withName("default").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var sa = client.serviceAccounts().inNamespace("team-a").withName("default").get();
              return sa != null && !sa.getMetadata().getUid().equals(uid);
            });
  }

  @Test
  void publishesTheRootCaBundleAndRevertsEdits() {
    createNamespace("team-b");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.configMaps().inNamespace("team-b").withName("kube-root-ca.crt").get()
                    != null);
    ConfigMap cm = client.configMaps().inNamespace("team-b").withName("kube-root-ca.crt").get();
    assertEquals(Map.of("ca.crt", CA), cm.getData());
    client
        .configMaps()
        .inNamespace("team-b")
        .resource(new ConfigMapBuilder(cm).withData(Map.of("ca.crt", "tampered")).build())
        .update();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                CA.equals(
                    client
                        .configMaps()
                        .inNamespace("team-b")
                        .withName("kube-root-ca.crt")
                        .get()
                        .getData()
                        .get("ca.crt")));
  }
}
