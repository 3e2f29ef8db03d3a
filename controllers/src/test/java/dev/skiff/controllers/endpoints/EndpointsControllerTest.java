package dev.skiff.controllers.endpoints;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointsControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private BackendPods backends;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    backends = new BackendPods(client);
    cluster.start(EndpointsController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Endpoints awaitEndpoints(String name, Predicate<Endpoints> condition) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> client.endpoints().inNamespace("default").withName(name).get(),
            e -> e != null && condition.test(e));
  }

  private static List<String> ips(List<EndpointAddress> addresses) {
    return addresses.stream().map(EndpointAddress::getIp).toList();
  }

  @Test
  void listsReadyAndNotReadyPodsWithNamedPortsResolvedPerPod() {
    backends.service("web", false, false);
    backends.pod("web-a", "web", "10.42.0.5", 8080, true);
    backends.pod("web-b", "web", "10.42.0.6", 8080, false);
    backends.pod("web-c", "web", "10.42.0.7", 9090, true);
    backends.pod("other", "db", "10.42.0.8", 8080, true);
    Endpoints endpoints =
        awaitEndpoints(
            "web",
            e ->
                e.getSubsets().size() == 2
                    && e.getSubsets().stream()
                            .mapToInt(
                                s -> s.getAddresses().size() + s.getNotReadyAddresses().size())
                            .sum()
                        == 3);
    EndpointSubset on8080 =
        endpoints.getSubsets().stream()
            .filter(s -> s.getPorts().getFirst().getPort() == 8080)
            .findFirst()
            .orElseThrow();
    assertEquals(List.of("10.42.0.5"), ips(on8080.getAddresses()));
    assertEquals(List.of("10.42.0.6"), ips(on8080.getNotReadyAddresses()));
    assertEquals("web", on8080.getPorts().getFirst().getName());
    assertEquals("web-a", on8080.getAddresses().getFirst().getTargetRef().getName());
    assertEquals(
        "true", endpoints.getMetadata().getLabels().get(EndpointsController.SKIP_MIRROR_LABEL));
  }

  @Test
  void aPodBecomingReadyMovesToReadyAddressesAndDeletedServiceTakesItsEndpoints() {
    backends.service("api", false, false);
    var pod = backends.pod("api-a", "api", "10.42.1.5", 8080, false);
    awaitEndpoints(
        "api",
        e -> e.getSubsets().size() == 1 && e.getSubsets().getFirst().getAddresses().isEmpty());
    backends.setReady(pod, "10.42.1.5", true);
    awaitEndpoints(
        "api",
        e ->
            e.getSubsets().size() == 1
                && ips(e.getSubsets().getFirst().getAddresses()).equals(List.of("10.42.1.5")));
    client.services().inNamespace("default").withName("api").delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.endpoints().inNamespace("default").withName("api").get() == null);
  }

  @Test
  void publishNotReadyAddressesListsUnreadyPodsAsReadyOnAHeadlessService() {
    backends.service("db", true, true);
    backends.pod("db-0", "db", "10.42.2.5", 5432, false);
    Endpoints endpoints =
        awaitEndpoints(
            "db",
            e ->
                e.getSubsets().size() == 1 && e.getSubsets().getFirst().getAddresses().size() == 1);
    assertEquals(List.of(), endpoints.getSubsets().getFirst().getNotReadyAddresses());
    assertEquals("", endpoints.getMetadata().getLabels().get(EndpointsController.HEADLESS_LABEL));
  }

  @Test
  void servicesWithoutSelectorKeepTheirHandWrittenEndpoints() throws Exception {
    client
        .services()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.ServiceBuilder()
                .withNewMetadata()
                .withName("external")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withPort(443)
                .endPort()
                .endSpec()
                .build())
        .create();
    client
        .endpoints()
        .inNamespace("default")
        .resource(
            new io.fabric8.kubernetes.api.model.EndpointsBuilder()
                .withNewMetadata()
                .withName("external")
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp("192.0.2.10")
                .endAddress()
                .addNewPort()
                .withPort(443)
                .endPort()
                .endSubset()
                .build())
        .create();
    // A selector Service created afterwards is synced, so by then the first was seen as well.
    backends.service("marker", false, false);
    awaitEndpoints("marker", e -> true);
    Endpoints external = client.endpoints().inNamespace("default").withName("external").get();
    assertEquals(List.of("192.0.2.10"), ips(external.getSubsets().getFirst().getAddresses()));
    assertNull(external.getMetadata().getLabels().get(EndpointsController.SKIP_MIRROR_LABEL));
  }
}
