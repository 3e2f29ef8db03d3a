package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.preferred;
import static dev.skiff.scheduler.Fixtures.preferring;
import static dev.skiff.scheduler.Fixtures.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeAffinityTest {
  private static final NodeInfo SSD =
      NodeInfo.of(node("ssd", "4", "8Gi", Map.of("disk", "ssd", "cores", "16")));
  private static final NodeInfo HDD =
      NodeInfo.of(node("hdd", "4", "8Gi", Map.of("disk", "hdd", "cores", "4")));
  private static final NodeInfo BARE = NodeInfo.of(node("bare", "4", "8Gi", Map.of()));
  private static final Framework FW = framework(List.of(SSD, HDD, BARE));

  /** A pod whose required node affinity is these terms (ORed). */
  private static Pod requiringTerms(NodeSelectorTerm... terms) {
    return pod(
        "p",
        b ->
            b.editSpec()
                .withNewAffinity()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(terms)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .endAffinity()
                .endSpec());
  }

  /** A pod whose required node affinity is one term of these expressions (ANDed). */
  private static Pod requiring(NodeSelectorRequirement... exprs) {
    return requiringTerms(new NodeSelectorTermBuilder().withMatchExpressions(exprs).build());
  }

  private static NodeSelectorRequirement req(String key, String op, String... values) {
    return new NodeSelectorRequirement(key, op, List.of(values));
  }

  private static boolean fits(Pod p, NodeInfo n) {
    return filter(FW, p, n).isSuccess();
  }

  @Test
  void nodeSelectorMustMatchEveryLabel() {
    Pod p = pod("p", b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd")).endSpec());
    assertTrue(fits(p, SSD));
    Status s = filter(FW, p, HDD);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("node(s) didn't match Pod's node affinity/selector", s.message());
  }

  @Test
  void everyOperatorOfRequiredAffinity() {
    assertTrue(fits(requiring(req("disk", "In", "ssd", "nvme")), SSD));
    assertFalse(fits(requiring(req("disk", "In", "ssd", "nvme")), HDD));
    assertTrue(fits(requiring(req("disk", "NotIn", "ssd")), HDD));
    assertTrue(fits(requiring(req("disk", "NotIn", "ssd")), BARE), "NotIn matches a missing label");
    assertTrue(fits(requiring(req("disk", "Exists")), HDD));
    assertFalse(fits(requiring(req("disk", "Exists")), BARE));
    assertTrue(fits(requiring(req("disk", "DoesNotExist")), BARE));
    assertTrue(fits(requiring(req("cores", "Gt", "8")), SSD));
    assertFalse(fits(requiring(req("cores", "Gt", "8")), HDD));
    assertTrue(fits(requiring(req("cores", "Lt", "8")), HDD));
    assertFalse(fits(requiring(req("cores", "Lt", "8")), BARE), "Lt needs the label");
    assertFalse(
        fits(requiring(req("cores", "Gt", "many")), SSD), "a non-integer bound matches nothing");
  }

  @Test
  void termsAreOredAndExpressionsAnded() {
    Pod p =
        requiringTerms(
            new NodeSelectorTermBuilder()
                .withMatchExpressions(req("disk", "In", "ssd"), req("cores", "Lt", "8"))
                .build(),
            new NodeSelectorTermBuilder().withMatchExpressions(req("disk", "In", "hdd")).build());
    assertFalse(fits(p, SSD), "first term fails on cores, second on disk");
    assertTrue(fits(p, HDD));
  }

  @Test
  void matchFieldsSelectsByNodeName() {
    Pod p =
        requiringTerms(
            new NodeSelectorTermBuilder()
                .withMatchFields(req("metadata.name", "In", "hdd"))
                .build());
    assertTrue(fits(p, HDD));
    assertFalse(fits(p, SSD));
  }

  @Test
  void preferredTermsScoreBySumOfWeightsNormalized() {
    Pod p =
        preferring(
            "p", preferred(80, req("disk", "In", "ssd")), preferred(20, req("disk", "Exists")));
    assertArrayEquals(
        new long[] {100, 20, 0}, scores(FW, NodeAffinity.NAME, p, List.of(SSD, HDD, BARE)));
  }

  @Test
  void profileAddedAffinityIsEnforcedOnEveryPod() {
    var config =
        KubeSchedulerConfiguration.parse(
            """
            profiles:
            - pluginConfig:
              - name: NodeAffinity
                args:
                  addedAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: disk, operator: Exists}]
            """);
    var fw =
        framework(
            config.profiles().getFirst(),
            List.of(SSD, BARE),
            new ClusterObjects(),
            new FakeSchedulerClient());
    assertTrue(filter(fw, pod("p"), SSD).isSuccess());
    assertEquals(
        "node(s) didn't match scheduler-enforced node affinity",
        filter(fw, pod("p"), BARE).message());
  }
}
