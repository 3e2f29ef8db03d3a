package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.container;
import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.on;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodRequests;
import dev.skiff.scheduler.framework.ProfileConfig;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResourcesFitTest {

  private static Pod withInit(String name) {
    var init = new ContainerBuilder(container("1500m", "100Mi")).withName("init").build();
    return pod(
        name,
        b ->
            b.editSpec()
                .withInitContainers(init)
                .withOverhead(Map.of("cpu", new Quantity("250m")))
                .endSpec(),
        container("500m", "1Gi"),
        container("500m", "1Gi"));
  }

  @Test
  void initContainersCountAsTheirMaximumAgainstTheSumOfAppContainersPlusOverhead() {
    var r = PodRequests.of(withInit("p"));
    assertEquals(1750, r.milliCpu, "max(1500m init, 1000m apps) + 250m overhead");
    assertEquals(2L * 1024 * 1024 * 1024, r.memory, "apps' 2Gi beat the init container's 100Mi");
  }

  @Test
  void sidecarInitContainersAddToTheSum() {
    var sidecar =
        new ContainerBuilder(container("300m", null))
            .withName("proxy")
            .withRestartPolicy("Always")
            .build();
    var init = new ContainerBuilder(container("200m", null)).withName("init").build();
    Pod p =
        pod(
            "p",
            b -> b.editSpec().withInitContainers(sidecar, init).endSpec(),
            container("1", null));
    assertEquals(1300, PodRequests.of(p).milliCpu);
  }

  @Test
  void podFitsOnlyWhereItsEffectiveRequestsFit() {
    NodeInfo empty = NodeInfo.of(node("empty", "2", "4Gi", Map.of()));
    NodeInfo busy =
        NodeInfo.of(node("busy", "2", "4Gi", Map.of()), on(pod("other", "500m", "1Gi"), "busy"));
    var fw = framework(List.of(empty, busy));
    assertTrue(filter(fw, withInit("p"), empty).isSuccess());
    Status s = filter(fw, withInit("p"), busy);
    assertEquals(Status.Code.UNSCHEDULABLE, s.code());
    assertEquals(List.of("Insufficient cpu"), s.reasons());
    assertEquals(NodeResourcesFit.NAME, s.plugin());
  }

  @Test
  void reportsEveryShortResourceAndThePodLimit() {
    var n = node("small", "1", "1Gi", Map.of());
    n.getStatus()
        .setAllocatable(
            Map.of(
                "cpu",
                new Quantity("1"),
                "memory",
                new Quantity("1Gi"),
                "pods",
                new Quantity("1")));
    NodeInfo full = NodeInfo.of(n, on(pod("other", "100m", "100Mi"), "small"));
    Status s = filter(framework(List.of(full)), pod("p", "2", "2Gi"), full);
    assertEquals(List.of("Too many pods", "Insufficient cpu", "Insufficient memory"), s.reasons());
  }

  @Test
  void extendedResourcesMustBeAllocatable() {
    var gpu =
        new ContainerBuilder(container("100m", null))
            .editResources()
            .addToRequests("nvidia.com/gpu", new Quantity("1"))
            .endResources()
            .build();
    NodeInfo plain = NodeInfo.of(node("plain"));
    Status s = filter(framework(List.of(plain)), pod("p", b -> b, gpu), plain);
    assertEquals(List.of("Insufficient nvidia.com/gpu"), s.reasons());
  }

  @Test
  void leastAllocatedPrefersTheEmptierNode() {
    NodeInfo empty = NodeInfo.of(node("a", "4", "8Gi", Map.of()));
    NodeInfo half = NodeInfo.of(node("b", "4", "8Gi", Map.of()), on(pod("x", "2", "4Gi"), "b"));
    long[] s =
        scores(
            framework(List.of(empty, half)),
            NodeResourcesFit.NAME,
            pod("p", "1", "1Gi"),
            List.of(empty, half));
    // cpu (4-1)/4 = 75, memory (8-1)/8 = 87; then cpu 25, memory 37.
    assertArrayEquals(new long[] {81, 31}, s);
  }

  @Test
  void mostAllocatedCanBeSelectedByConfiguration() {
    var config =
        KubeSchedulerConfiguration.parse(
            """
            profiles:
            - pluginConfig:
              - name: NodeResourcesFit
                args:
                  scoringStrategy:
                    type: MostAllocated
            """);
    ProfileConfig profile = config.profiles().getFirst();
    NodeInfo empty = NodeInfo.of(node("a", "4", "8Gi", Map.of()));
    NodeInfo half = NodeInfo.of(node("b", "4", "8Gi", Map.of()), on(pod("x", "2", "4Gi"), "b"));
    var fw =
        framework(profile, List.of(empty, half), new ClusterObjects(), new FakeSchedulerClient());
    long[] s = scores(fw, NodeResourcesFit.NAME, pod("p", "1", "1Gi"), List.of(empty, half));
    assertTrue(s[1] > s[0], "MostAllocated packs: " + s[0] + " vs " + s[1]);
  }

  @Test
  void requestedToCapacityRatioFollowsTheShape() {
    var config =
        KubeSchedulerConfiguration.parse(
            """
            profiles:
            - pluginConfig:
              - name: NodeResourcesFit
                args:
                  scoringStrategy:
                    type: RequestedToCapacityRatio
                    resources: [{name: cpu, weight: 1}]
                    requestedToCapacityRatio:
                      shape: [{utilization: 0, score: 0}, {utilization: 100, score: 10}]
            """);
    NodeInfo empty = NodeInfo.of(node("a", "4", "8Gi", Map.of()));
    var fw =
        framework(
            config.profiles().getFirst(),
            List.of(empty),
            new ClusterObjects(),
            new FakeSchedulerClient());
    assertArrayEquals(
        new long[] {25}, scores(fw, NodeResourcesFit.NAME, pod("p", "1", "1Gi"), List.of(empty)));
  }

  @Test
  void unknownScoringStrategyIsRejectedWithTheField() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new NodeResourcesFit(
                    new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree("{\"scoringStrategy\":{\"type\":\"Random\"}}")));
    assertTrue(
        e.getMessage().startsWith("scoringStrategy.type: Unsupported value: \"Random\""),
        e.getMessage());
  }
}
