package dev.skiff.controllers.namespace;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Runs against fabric8's CRUD API server: Skiff's API server still empties namespaces itself (a
 * stand-in until this controller is wired in), which would hide what the controller does. The mock
 * serves no status or finalize subresource for namespaces, so this test stops at the content;
 * {@link NamespaceConditionsTest} covers the conditions.
 */
class NamespaceControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = TestCluster.onMock();
    client = cluster.client();
    Set<String> verbs = Set.of("list", "watch", "get", "delete", "update");
    var discovered =
        new ApiResource.Discovered(
            List.of(
                new ApiResource("", "v1", "configmaps", "ConfigMap", true, verbs),
                new ApiResource("", "v1", "secrets", "Secret", true, verbs),
                new ApiResource("", "v1", "namespaces", "Namespace", false, verbs)),
            List.of());
    cluster.start(context -> new NamespaceController(context, () -> discovered));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void deletesEverythingInsideATerminatingNamespace() {
    // The test's own finalizer keeps the namespace in place while it is Terminating.
    client
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("doomed")
                .withFinalizers("example.com/test")
                .endMetadata()
                .withNewSpec()
                .withFinalizers("kubernetes")
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("plain")
                .withNamespace("doomed")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("held")
                .withNamespace("doomed")
                .withFinalizers("example.com/hold")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("token")
                .withNamespace("doomed")
                .endMetadata()
                .build())
        .create();
    client
        .resource(
            new SecretBuilder()
                .withNewMetadata()
                .withName("elsewhere")
                .withNamespace("default")
                .endMetadata()
                .build())
        .create();

    client.namespaces().withName("doomed").delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.secrets().inNamespace("doomed").list().getItems().isEmpty()
                    && client.configMaps().inNamespace("doomed").withName("plain").get() == null
                    && client
                            .configMaps()
                            .inNamespace("doomed")
                            .withName("held")
                            .get()
                            .getMetadata()
                            .getDeletionTimestamp()
                        != null);
    assertEquals(
        List.of("kubernetes"),
        client.namespaces().withName("doomed").get().getSpec().getFinalizers(),
        "not released while content remains");
    assertEquals(
        1,
        client.secrets().inNamespace("default").list().getItems().size(),
        "other namespaces are untouched");
  }
}
