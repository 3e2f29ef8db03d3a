package dev.skiff.controllers.endpointslice;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.endpoints.BackendPods;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EndpointSliceControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private BackendPods backends;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    backends = new BackendPods(client);
    cluster.start(EndpointSliceController::new, EndpointSliceMirroringController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private List<EndpointSlice> slicesOf(String service) {
    return client
        .discovery()
        .v1()
        .endpointSlices()
        .inNamespace("default")
        .withLabel("kubernetes.io/service-name", service)
        .list()
        .getItems();
  }

  private List<EndpointSlice> awaitSlices(
      String service, Predicate<List<EndpointSlice>> condition) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> slicesOf(service), condition);
  }

  private static int endpointCount(List<EndpointSlice> slices) {
    return slices.stream().mapToInt(s -> s.getEndpoints().size()).sum();
  }

  @Test
  void endpointsCarryReadyServingAndTerminatingConditions() {
    backends.service("web", false, false);
    backends.pod("web-a", "web", "10.42.0.5", 8080, true);
    backends.pod("web-b", "web", "10.42.0.6", 8080, false);
    List<EndpointSlice> slices = awaitSlices("web", s -> endpointCount(s) == 2);
    assertEquals(1, slices.size());
    EndpointSlice slice = slices.getFirst();
    assertEquals("IPv4", slice.getAddressType());
    assertEquals(8080, slice.getPorts().getFirst().getPort());
    assertEquals("web", slice.getPorts().getFirst().getName());
    assertEquals(
        EndpointSliceController.MANAGED_BY,
        slice.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by"));
    assertEquals("web", slice.getMetadata().getOwnerReferences().getFirst().getName());
    Map<String, Endpoint> byPod =
        Map.of(
            slice.getEndpoints().get(0).getTargetRef().getName(), slice.getEndpoints().get(0),
            slice.getEndpoints().get(1).getTargetRef().getName(), slice.getEndpoints().get(1));
    assertTrue(byPod.get("web-a").getConditions().getReady());
    assertTrue(byPod.get("web-a").getConditions().getServing());
    assertFalse(byPod.get("web-b").getConditions().getReady());
    assertFalse(byPod.get("web-b").getConditions().getServing());
    assertFalse(byPod.get("web-a").getConditions().getTerminating());
  }

  @Test
  void aServiceWithMoreThanAHundredPodsIsSplitIntoSlices() {
    backends.service("big", false, false);
    for (int i = 0; i < 150; i++) {
      backends.pod("big-" + i, "big", "10.42." + (i / 200) + "." + (i % 200 + 1), 8080, true);
    }
    List<EndpointSlice> slices = awaitSlices("big", s -> endpointCount(s) == 150);
    assertEquals(2, slices.size());
    assertTrue(slices.stream().allMatch(s -> s.getEndpoints().size() <= 100));
  }

  @Test
  void aServiceWithoutPodsHasOneEmptySlice() {
    backends.service("idle", false, false);
    List<EndpointSlice> slices = awaitSlices("idle", s -> s.size() == 1);
    assertTrue(slices.getFirst().getEndpoints().isEmpty());
  }

  @Test
  void endpointsOfServicesWithoutSelectorAreMirrored() {
    client
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("external")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .addNewPort()
                .withName("https")
                .withPort(443)
                .endPort()
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new EndpointsBuilder()
                .withNewMetadata()
                .withName("external")
                .withNamespace("default")
                .endMetadata()
                .addNewSubset()
                .addNewAddress()
                .withIp("192.0.2.10")
                .endAddress()
                .addNewNotReadyAddress()
                .withIp("192.0.2.11")
                .endNotReadyAddress()
                .addNewPort()
                .withName("https")
                .withPort(443)
                .endPort()
                .endSubset()
                .build())
        .create();
    List<EndpointSlice> slices = awaitSlices("external", s -> endpointCount(s) == 2);
    EndpointSlice slice = slices.getFirst();
    assertEquals(
        EndpointSliceMirroringController.MANAGED_BY,
        slice.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by"));
    assertEquals(443, slice.getPorts().getFirst().getPort());
    for (Endpoint endpoint : slice.getEndpoints()) {
      assertEquals(
          endpoint.getAddresses().getFirst().equals("192.0.2.10"),
          endpoint.getConditions().getReady());
    }
  }
}
