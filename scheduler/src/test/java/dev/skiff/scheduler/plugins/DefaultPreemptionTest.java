package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.InMemoryScheduler;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultPreemptionTest {
  private final InMemoryScheduler s = new InMemoryScheduler();

  private static Pod running(String name, String node, int priority, String cpu, String startTime) {
    Pod p = pod(name, cpu, "100Mi");
    return new PodBuilder(p)
        .editMetadata()
        .withLabels(Map.of("app", name))
        .endMetadata()
        .editSpec()
        .withNodeName(node)
        .withPriority(priority)
        .endSpec()
        .editStatus()
        .withPhase("Running")
        .withStartTime(startTime)
        .endStatus()
        .build();
  }

  private static Pod running(String name, String node, int priority, String cpu) {
    return running(name, node, priority, cpu, "2024-01-01T00:00:00Z");
  }

  /** Nodes of 2 CPUs and 4Gi: room for one of the 1500m pods these tests run. */
  private void nodes(String... names) {
    for (String name : names) {
      s.addNode(node(name, "2", "4Gi", Map.of()));
    }
  }

  private static Pod pending(String name, int priority, String cpu) {
    return new PodBuilder(pod(name, cpu, "100Mi"))
        .editSpec()
        .withPriority(priority)
        .endSpec()
        .build();
  }

  @Test
  void higherPriorityPodEvictsALowerOneNominatesTheNodeAndLandsThere() {
    nodes("n1");
    s.createPod(running("low", "n1", 0, "1500m"));
    s.createPod(pending("high", 1000, "1500m"));
    s.scheduleAll();
    assertEquals(List.of("default/low"), s.client.preempted);
    var nominated =
        s.client.statusUpdates.stream()
            .filter(u -> u.pod().equals("default/high"))
            .toList()
            .getLast();
    assertEquals("n1", nominated.nominatedNodeName());
    assertEquals(
        "0/1 nodes are available: 1 Insufficient cpu.", nominated.condition().getMessage());
    s.passBackoff();
    s.scheduleAll();
    assertEquals("n1", s.nodeOf("high"));
  }

  @Test
  void equalPriorityDoesNotPreempt() {
    nodes("n1");
    s.createPod(running("peer", "n1", 5, "1500m"));
    s.createPod(pending("p", 5, "1500m"));
    s.scheduleAll();
    assertTrue(s.client.preempted.isEmpty());
    assertEquals(
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No"
            + " preemption victims found for incoming pod..",
        s.client.eventsFor("default/p").getLast().message());
  }

  @Test
  void preemptionPolicyNeverIsRespected() {
    nodes("n1");
    s.createPod(running("low", "n1", 0, "1500m"));
    s.createPod(
        new PodBuilder(pending("polite", 1000, "1500m"))
            .editSpec()
            .withPreemptionPolicy("Never")
            .endSpec()
            .build());
    s.scheduleAll();
    assertTrue(s.client.preempted.isEmpty());
    assertTrue(
        s.client
            .eventsFor("default/polite")
            .getLast()
            .message()
            .endsWith("preemption: not eligible due to preemptionPolicy=Never.."));
  }

  @Test
  void picksTheNodeWhoseMostImportantVictimHasTheLowestPriority() {
    nodes("a", "b");
    s.createPod(running("on-a", "a", 10, "1500m"));
    s.createPod(running("on-b", "b", 5, "1500m"));
    s.createPod(pending("high", 100, "1500m"));
    s.scheduleAll();
    assertEquals(List.of("default/on-b"), s.client.preempted);
  }

  @Test
  void evictsOnlyAsManyVictimsAsNeededKeepingTheMoreImportant() {
    s.addNode(node("n1", "4", "8Gi", Map.of()));
    s.createPod(running("v1", "n1", 1, "1"));
    s.createPod(running("v2", "n1", 2, "1"));
    s.createPod(running("v3", "n1", 3, "1"));
    s.createPod(running("v4", "n1", 4, "1"));
    s.createPod(pending("high", 100, "2"));
    s.scheduleAll();
    assertEquals(
        List.of("default/v2", "default/v1"), s.client.preempted, "the two least important go");
  }

  @Test
  void avoidsNodesWhereEvictionWouldViolateADisruptionBudget() {
    nodes("a", "b");
    s.createPod(running("guarded", "a", 0, "1500m"));
    s.createPod(running("free", "b", 0, "1500m"));
    s.objects.putDisruptionBudget(
        new PodDisruptionBudgetBuilder()
            .withNewMetadata()
            .withName("guard")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withMinAvailable(new IntOrString(1))
            .withSelector(
                new LabelSelectorBuilder().withMatchLabels(Map.of("app", "guarded")).build())
            .endSpec()
            .withNewStatus()
            .withDisruptionsAllowed(0)
            .endStatus()
            .build());
    s.createPod(pending("high", 100, "1500m"));
    s.scheduleAll();
    assertEquals(List.of("default/free"), s.client.preempted);
  }

  @Test
  void prefersTheNodeWhoseVictimsStartedMostRecently() {
    nodes("old", "new");
    s.createPod(running("veteran", "old", 0, "1500m", "2020-01-01T00:00:00Z"));
    s.createPod(running("rookie", "new", 0, "1500m", "2024-06-01T00:00:00Z"));
    s.createPod(pending("high", 100, "1500m"));
    s.scheduleAll();
    assertEquals(List.of("default/rookie"), s.client.preempted);
  }

  @Test
  void priorityComesFromThePriorityClassWhenNotResolved() {
    s.objects.putPriorityClass(
        new PriorityClassBuilder()
            .withNewMetadata()
            .withName("critical")
            .endMetadata()
            .withValue(1_000_000)
            .build());
    nodes("n1");
    s.createPod(running("low", "n1", 0, "1500m"));
    s.createPod(
        new PodBuilder(pod("vip", "1500m", "100Mi"))
            .editSpec()
            .withPriorityClassName("critical")
            .endSpec()
            .build());
    s.scheduleAll();
    assertEquals(List.of("default/low"), s.client.preempted);
  }

  @Test
  void lowerPriorityPodsDoNotTakeTheRoomOfANominatedPod() {
    nodes("n1");
    s.createPod(running("low", "n1", 0, "1500m"));
    s.createPod(pending("high", 1000, "1500m"));
    s.scheduleAll();
    s.createPod(pending("sneaky", 1, "1500m"));
    s.scheduleAll();
    assertNull(s.nodeOf("sneaky"), "room is held for the nominated pod");
    s.passBackoff();
    s.scheduleAll();
    assertEquals("n1", s.nodeOf("high"));
  }
}
