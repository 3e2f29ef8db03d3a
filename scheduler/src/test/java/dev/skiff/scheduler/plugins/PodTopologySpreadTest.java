package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.on;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTopologySpreadTest {
  private static final String ZONE = "topology.kubernetes.io/zone";

  private static Pod app(String name) {
    return pod(name, b -> b.editMetadata().withLabels(Map.of("app", "web")).endMetadata());
  }

  private static NodeInfo zoneNode(String name, String zone, int webPods) {
    NodeInfo n = NodeInfo.of(node(name, "4", "8Gi", zone == null ? Map.of() : Map.of(ZONE, zone)));
    for (int i = 0; i < webPods; i++) {
      n.addPod(on(app(name + "-web-" + i), name));
    }
    return n;
  }

  private static Pod spread(String whenUnsatisfiable, int maxSkew) {
    return pod(
        "new",
        b ->
            b.editMetadata()
                .withLabels(Map.of("app", "web"))
                .endMetadata()
                .editSpec()
                .withTopologySpreadConstraints(
                    new TopologySpreadConstraintBuilder()
                        .withMaxSkew(maxSkew)
                        .withTopologyKey(ZONE)
                        .withWhenUnsatisfiable(whenUnsatisfiable)
                        .withLabelSelector(
                            new LabelSelectorBuilder()
                                .withMatchLabels(Map.of("app", "web"))
                                .build())
                        .build())
                .endSpec());
  }

  @Test
  void doNotScheduleRejectsDomainsThatWouldExceedMaxSkew() {
    NodeInfo a = zoneNode("a", "a", 2);
    NodeInfo b = zoneNode("b", "b", 1);
    NodeInfo c = zoneNode("c", "c", 0);
    var fw = framework(List.of(a, b, c));
    Pod p = spread("DoNotSchedule", 1);
    Status s = filter(fw, p, a);
    assertEquals(Status.Code.UNSCHEDULABLE, s.code());
    assertEquals("node(s) didn't match pod topology spread constraints", s.message());
    assertEquals(Status.Code.UNSCHEDULABLE, filter(fw, p, b).code(), "1 + 1 - 0 > 1");
    assertTrue(filter(fw, p, c).isSuccess());
    assertTrue(
        filter(fw, spread("DoNotSchedule", 2), b).isSuccess(), "skew 2 allowed with maxSkew 2");
  }

  @Test
  void nodesWithoutTheTopologyKeyAreUnresolvable() {
    NodeInfo a = zoneNode("a", "a", 0);
    NodeInfo bare = zoneNode("bare", null, 0);
    Status s = filter(framework(List.of(a, bare)), spread("DoNotSchedule", 1), bare);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(
        "node(s) didn't match pod topology spread constraints (missing required label)",
        s.message());
  }

  @Test
  void scheduleAnywayPrefersEmptierDomainsWithoutFiltering() {
    NodeInfo a = zoneNode("a", "a", 3);
    NodeInfo b = zoneNode("b", "b", 0);
    var nodes = List.of(a, b);
    var fw = framework(nodes);
    assertTrue(filter(fw, spread("ScheduleAnyway", 1), a).isSuccess());
    long[] s = scores(fw, PodTopologySpread.NAME, spread("ScheduleAnyway", 1), nodes);
    assertEquals(100, s[1]);
    assertTrue(s[0] < s[1], "crowded zone scores lower: " + s[0]);
  }

  @Test
  void systemDefaultsSpreadPodsOfAServiceAcrossNodes() {
    ClusterObjects objects = new ClusterObjects();
    objects.putService(
        new ServiceBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withSelector(Map.of("app", "web"))
            .endSpec()
            .build());
    NodeInfo crowded = zoneNode("crowded", "a", 2);
    NodeInfo empty = zoneNode("empty", "a", 0);
    var nodes = List.of(crowded, empty);
    var fw = framework(nodes, objects, new FakeSchedulerClient());
    long[] s = scores(fw, PodTopologySpread.NAME, app("new"), nodes);
    assertEquals(100, s[1]);
    assertTrue(s[0] < 100, "pods of the same service spread: " + s[0]);
    assertArrayEquals(
        new long[] {0, 0},
        scores(framework(nodes), PodTopologySpread.NAME, app("new"), nodes),
        "no Service, no default spreading");
  }
}
