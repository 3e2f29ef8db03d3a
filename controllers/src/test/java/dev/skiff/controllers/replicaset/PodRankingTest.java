package dev.skiff.controllers.replicaset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodRankingTest {

  private static Pod pod(
      String name, String node, String phase, boolean ready, int restarts, String created) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withCreationTimestamp(created)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .withLastTransitionTime("2026-01-01T00:00:00Z")
        .endCondition()
        .addNewContainerStatus()
        .withName("c")
        .withRestartCount(restarts)
        .endContainerStatus()
        .endStatus()
        .build();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void deletesUnscheduledThenPendingThenNotReadyThenRestartingThenNewestPods() {
    Pod oldReady = pod("old-ready", "n1", "Running", true, 0, "2026-01-01T00:00:00Z");
    Pod newReady = pod("new-ready", "n2", "Running", true, 0, "2026-01-02T00:00:00Z");
    Pod restarting = pod("restarting", "n3", "Running", true, 5, "2026-01-01T00:00:00Z");
    Pod notReady = pod("not-ready", "n4", "Running", false, 0, "2026-01-01T00:00:00Z");
    Pod pending = pod("pending", "n5", "Pending", false, 0, "2026-01-01T00:00:00Z");
    Pod unscheduled = pod("unscheduled", null, "Pending", false, 0, "2026-01-01T00:00:00Z");
    List<Pod> all = List.of(oldReady, newReady, restarting, notReady, pending, unscheduled);

    assertEquals(
        List.of("unscheduled", "pending", "not-ready", "restarting", "new-ready", "old-ready"),
        names(PodRanking.toDelete(all, all, 6)));
    assertEquals(List.of("unscheduled", "pending"), names(PodRanking.toDelete(all, all, 2)));
  }

  @Test
  void aLowerDeletionCostGoesFirst() {
    Pod cheap = pod("cheap", "n1", "Running", true, 0, "2026-01-01T00:00:00Z");
    cheap.getMetadata().getAnnotations().put(PodRanking.DELETION_COST, "-10");
    Pod dear = pod("dear", "n2", "Running", true, 0, "2026-01-02T00:00:00Z");
    assertEquals(
        List.of("cheap"),
        names(PodRanking.toDelete(List.of(dear, cheap), List.of(dear, cheap), 1)));
  }

  @Test
  void podsDoubledUpOnANodeGoBeforeLonelyOnes() {
    Pod lonely = pod("lonely", "n1", "Running", true, 0, "2026-01-01T00:00:00Z");
    Pod crowdedA = pod("crowded-a", "n2", "Running", true, 0, "2026-01-01T00:00:00Z");
    Pod crowdedB = pod("crowded-b", "n2", "Running", true, 0, "2026-01-01T00:00:00Z");
    List<Pod> all = List.of(lonely, crowdedA, crowdedB);
    assertEquals("n2", PodRanking.toDelete(all, all, 1).getFirst().getSpec().getNodeName());
  }
}
