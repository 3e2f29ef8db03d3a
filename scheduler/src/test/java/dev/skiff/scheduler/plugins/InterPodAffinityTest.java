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

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterPodAffinityTest {
  private static final String ZONE = "topology.kubernetes.io/zone";

  private static NodeInfo zoneNode(String name, String zone, Pod... pods) {
    NodeInfo n = NodeInfo.of(node(name, "4", "8Gi", Map.of(ZONE, zone)));
    for (Pod p : pods) {
      n.addPod(on(p, name));
    }
    return n;
  }

  private static Pod labeled(String name, String app) {
    return pod(name, b -> b.editMetadata().withLabels(Map.of("app", app)).endMetadata());
  }

  private static PodAffinityTerm term(String app, String topologyKey) {
    return new PodAffinityTermBuilder()
        .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build())
        .withTopologyKey(topologyKey)
        .build();
  }

  private static Pod withAffinity(
      String name, String app, PodAffinityTerm affinity, PodAffinityTerm anti) {
    return pod(
        name,
        b ->
            b.editMetadata()
                .withLabels(Map.of("app", app))
                .endMetadata()
                .editSpec()
                .withNewAffinity()
                .withNewPodAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(
                    affinity == null ? List.of() : List.of(affinity))
                .endPodAffinity()
                .withNewPodAntiAffinity()
                .withRequiredDuringSchedulingIgnoredDuringExecution(
                    anti == null ? List.of() : List.of(anti))
                .endPodAntiAffinity()
                .endAffinity()
                .endSpec());
  }

  @Test
  void requiredAffinityNeedsAMatchingPodInTheSameDomain() {
    NodeInfo a1 = zoneNode("a1", "a", labeled("db", "db"));
    NodeInfo a2 = zoneNode("a2", "a");
    NodeInfo b1 = zoneNode("b1", "b");
    var fw = framework(List.of(a1, a2, b1));
    Pod web = withAffinity("web", "web", term("db", ZONE), null);
    assertTrue(filter(fw, web, a2).isSuccess(), "same zone as the db pod");
    Status s = filter(fw, web, b1);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("node(s) didn't match pod affinity rules", s.message());
  }

  @Test
  void firstPodOfASelfAffineGroupMayGoAnywhere() {
    NodeInfo a1 = zoneNode("a1", "a");
    var fw = framework(List.of(a1));
    assertTrue(filter(fw, withAffinity("web", "web", term("web", ZONE), null), a1).isSuccess());
    assertEquals(
        Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
        filter(fw, withAffinity("web", "web", term("db", ZONE), null), a1).code());
  }

  @Test
  void requiredAntiAffinityKeepsPodsApart() {
    NodeInfo a1 = zoneNode("a1", "a", labeled("web-1", "web"));
    NodeInfo a2 = zoneNode("a2", "a");
    NodeInfo b1 = zoneNode("b1", "b");
    var fw = framework(List.of(a1, a2, b1));
    Pod web2 = withAffinity("web-2", "web", null, term("web", ZONE));
    assertEquals("node(s) didn't match pod anti-affinity rules", filter(fw, web2, a2).message());
    assertTrue(filter(fw, web2, b1).isSuccess());
  }

  @Test
  void existingPodsAntiAffinityIsSymmetric() {
    Pod loner = withAffinity("loner", "loner", null, term("web", "kubernetes.io/hostname"));
    NodeInfo a1 = zoneNode("a1", "a", loner);
    NodeInfo a2 = zoneNode("a2", "a");
    var fw = framework(List.of(a1, a2));
    Status s = filter(fw, labeled("web", "web"), a1);
    assertEquals(Status.Code.UNSCHEDULABLE, s.code());
    assertEquals("node(s) didn't satisfy existing pods anti-affinity rules", s.message());
    assertTrue(filter(fw, labeled("web", "web"), a2).isSuccess());
  }

  @Test
  void preferredTermsPullTowardAndPushAwayFromDomains() {
    NodeInfo a1 = zoneNode("a1", "a", labeled("cache", "cache"));
    NodeInfo b1 = zoneNode("b1", "b", labeled("batch", "batch"));
    NodeInfo c1 = zoneNode("c1", "c");
    var nodes = List.of(a1, b1, c1);
    Pod p =
        pod(
            "p",
            b ->
                b.editSpec()
                    .withNewAffinity()
                    .withNewPodAffinity()
                    .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term("cache", ZONE), 50))
                    .endPodAffinity()
                    .withNewPodAntiAffinity()
                    .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new WeightedPodAffinityTerm(term("batch", ZONE), 50))
                    .endPodAntiAffinity()
                    .endAffinity()
                    .endSpec());
    // Raw scores 50, -50, 0 normalized over [-50, 50].
    assertArrayEquals(
        new long[] {100, 0, 50}, scores(framework(nodes), InterPodAffinity.NAME, p, nodes));
  }

  @Test
  void existingPodsRequiredAffinityAttractsMatchingPods() {
    NodeInfo a1 = zoneNode("a1", "a", withAffinity("web", "web", term("db", ZONE), null));
    NodeInfo b1 = zoneNode("b1", "b");
    var nodes = List.of(a1, b1);
    assertArrayEquals(
        new long[] {100, 0},
        scores(framework(nodes), InterPodAffinity.NAME, labeled("db", "db"), nodes));
  }
}
