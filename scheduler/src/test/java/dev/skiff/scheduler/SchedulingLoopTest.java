package dev.skiff.scheduler;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.preferred;
import static dev.skiff.scheduler.Fixtures.preferring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SchedulingLoopTest {
  private final InMemoryScheduler s = new InMemoryScheduler();

  private void nodes(String... names) {
    for (String n : names) {
      s.addNode(node(n, "2", "4Gi", Map.of()));
    }
  }

  private FakeSchedulerClient.Event lastEvent(String pod) {
    return s.client.eventsFor("default/" + pod).getLast();
  }

  @Test
  void podsLandOnlyWhereTheyFitAndSuccessIsReported() {
    nodes("n1", "n2", "n3");
    for (int i = 0; i < 3; i++) {
      s.createPod(pod("p" + i, "1500m", "1Gi"));
    }
    s.scheduleAll();
    Set<String> used = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      String node = s.nodeOf("p" + i);
      assertTrue(used.add(node), "one 1.5-cpu pod per 2-cpu node, got " + s.client.bindings);
      var e = lastEvent("p" + i);
      assertEquals("Normal", e.type());
      assertEquals("Scheduled", e.reason());
      assertEquals("Successfully assigned default/p" + i + " to " + node, e.message());
    }
    assertEquals(3, s.metrics.attempts("scheduled"));
  }

  @Test
  void unschedulablePodGetsUpstreamsConditionAndEvent() {
    nodes("n1", "n2");
    s.addNode(node("n3", b -> b.editSpec().withUnschedulable(true).endSpec()));
    s.createPod(pod("big", "3", "1Gi"));
    s.scheduleAll();
    assertNull(s.nodeOf("big"));
    String msg =
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3"
            + " nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption"
            + " victims found for incoming pod..";
    var e = lastEvent("big");
    assertEquals("Warning", e.type());
    assertEquals("FailedScheduling", e.reason());
    assertEquals(msg, e.message());
    var cond = s.pods.get("default/big").getStatus().getConditions().getFirst();
    assertEquals("PodScheduled", cond.getType());
    assertEquals("False", cond.getStatus());
    assertEquals("Unschedulable", cond.getReason());
    assertEquals(msg, cond.getMessage());
    assertEquals(1, s.queue.sizes().unschedulable());
  }

  @Test
  void unschedulablePodIsRetriedWhenANodeThatHelpsArrives() {
    nodes("small");
    s.createPod(pod("big", "3", "1Gi"));
    s.scheduleAll();
    s.passBackoff();
    s.scheduleAll();
    assertNull(s.nodeOf("big"), "no event, no retry");
    assertEquals(1, s.client.eventsFor("default/big").size());
    s.addNode(node("large", "8", "16Gi", Map.of()));
    s.passBackoff();
    s.scheduleAll();
    assertEquals("large", s.nodeOf("big"));
  }

  @Test
  void eventThatCannotHelpLeavesThePodAlone() {
    s.addNode(node("n1", b -> b.editSpec().withUnschedulable(true).endSpec()));
    s.createPod(pod("p", "100m", "1Mi"));
    s.scheduleAll();
    s.handlers.podDeleted(Fixtures.on(pod("gone"), "n1").pod());
    s.passBackoff();
    assertEquals(1, s.queue.sizes().unschedulable(), "NodeUnschedulable ignores pod deletions");
    var cordoned = node("n1", b -> b.editSpec().withUnschedulable(true).endSpec());
    var uncordoned =
        new NodeBuilder(cordoned).editSpec().withUnschedulable(false).endSpec().build();
    s.updateNode(cordoned, uncordoned);
    s.passBackoff();
    s.scheduleAll();
    assertEquals("n1", s.nodeOf("p"));
  }

  @Test
  void assumedPodsReserveCapacityWhileTheirBindingIsInFlight() {
    nodes("n1");
    s.holdBindings();
    s.createPod(pod("a", "1500m", "1Gi"));
    s.createPod(pod("b", "1500m", "1Gi"));
    s.scheduleAll();
    assertTrue(s.client.bindings.isEmpty(), "bindings still in flight");
    assertTrue(
        lastEvent("b").message().startsWith("0/1 nodes are available: 1 Insufficient cpu."),
        lastEvent("b").message());
    s.runBindings();
    assertEquals(Map.of("default/a", "n1"), s.client.bindings);
  }

  @Test
  void failedBindingForgetsTheAssumedPodAndRetries() {
    nodes("n1");
    s.client.failBindingWith = "etcdserver: request timed out";
    s.createPod(pod("a", "1500m", "1Gi"));
    s.scheduleAll();
    var cond = s.pods.get("default/a").getStatus().getConditions().getFirst();
    assertEquals("SchedulerError", cond.getReason());
    assertEquals("etcdserver: request timed out", cond.getMessage());
    assertEquals(0, s.cache.podCount(), "capacity released");
    s.client.failBindingWith = null;
    s.passBackoff();
    s.scheduleAll();
    assertEquals("n1", s.nodeOf("a"));
  }

  @Test
  void preferredNodeAffinityChangesPlacement() {
    for (String n : List.of("a", "b", "c", "d")) {
      s.addNode(node(n, "2", "4Gi", Map.of("disk", n.equals("c") ? "ssd" : "hdd")));
    }
    var p =
        preferring("p", preferred(100, new NodeSelectorRequirement("disk", "In", List.of("ssd"))));
    s.createPod(p);
    s.scheduleAll();
    assertEquals("c", s.nodeOf("p"));
  }

  @Test
  void podsOfOtherSchedulersAreLeftAlone() {
    nodes("n1");
    s.createPod(pod("mine", b -> b.editSpec().withSchedulerName("my-scheduler").endSpec()));
    s.scheduleAll();
    assertNull(s.nodeOf("mine"));
    assertEquals(0, s.queue.sizes().active() + s.queue.sizes().unschedulable());
  }

  @Test
  void gatedPodsWaitUntilTheirLastSchedulingGateIsRemoved() {
    nodes("n1");
    var gated = pod("gated", b -> b.editSpec().addNewSchedulingGate("example.com/quota").endSpec());
    s.createPod(gated);
    s.scheduleAll();
    assertNull(s.nodeOf("gated"));
    assertTrue(s.client.eventsFor("default/gated").isEmpty(), "not even attempted");
    var released =
        new io.fabric8.kubernetes.api.model.PodBuilder(gated)
            .editSpec()
            .withSchedulingGates()
            .endSpec()
            .build();
    s.pods.put("default/gated", released);
    s.handlers.podUpdated(gated, released);
    s.scheduleAll();
    assertEquals("n1", s.nodeOf("gated"));
  }

  @Test
  void noNodesAtAllIsReportedAsUpstreamDoes() {
    s.createPod(pod("p"));
    s.scheduleAll();
    assertEquals("no nodes available to schedule pods", lastEvent("p").message());
    s.addNode(node("n1"));
    s.passBackoff();
    s.scheduleAll();
    assertEquals("n1", s.nodeOf("p"));
  }

  @Test
  void adaptivePercentageOfNodesToScore() {
    assertEquals(50, SchedulingLoop.numFeasibleNodesToFind(0, 50));
    assertEquals(420, SchedulingLoop.numFeasibleNodesToFind(0, 1000), "50% - 1000/125 = 42%");
    assertEquals(500, SchedulingLoop.numFeasibleNodesToFind(0, 5000));
    assertEquals(5000, SchedulingLoop.numFeasibleNodesToFind(0, 100_000), "floor of 5%");
    assertEquals(100, SchedulingLoop.numFeasibleNodesToFind(5, 1000), "floor of 100 nodes");
    assertEquals(1000, SchedulingLoop.numFeasibleNodesToFind(100, 1000));
  }

  @Test
  void scoringLooksAtOnlyTheAdaptiveShareOfALargeCluster() {
    for (int i = 0; i < 1000; i++) {
      s.addNode(node("n" + i, "4", "8Gi", Map.of()));
    }
    s.createPod(pod("p", "100m", "100Mi"));
    s.scheduleAll();
    assertNotEquals(null, s.nodeOf("p"));
  }
}
