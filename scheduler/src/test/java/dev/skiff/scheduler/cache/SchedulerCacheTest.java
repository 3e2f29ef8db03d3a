package dev.skiff.scheduler.cache;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerCacheTest {
  private final SchedulerCache cache = new SchedulerCache();
  private final Snapshot snapshot = new Snapshot();

  private static Pod bound(Pod p, String node) {
    return new PodBuilder(p).editSpec().withNodeName(node).endSpec().build();
  }

  @Test
  void assumedPodCountsUntilForgottenOrConfirmed() {
    cache.addNode(node("n1", "2", "4Gi", Map.of()));
    Pod p = bound(pod("p", "1", "1Gi"), "n1");
    cache.assumePod(new PodInfo(p), "n1");
    cache.updateSnapshot(snapshot);
    assertEquals(1000, snapshot.get("n1").requested().milliCpu);
    assertTrue(cache.isAssumed(p));
    assertThrows(IllegalStateException.class, () -> cache.assumePod(new PodInfo(p), "n1"));
    cache.addPod(p);
    assertFalse(cache.isAssumed(p), "the informer confirmed it");
    cache.forgetPod(p);
    cache.updateSnapshot(snapshot);
    assertEquals(1000, snapshot.get("n1").requested().milliCpu, "confirmed pods are not forgotten");
    cache.removePod(p);
    cache.updateSnapshot(snapshot);
    assertEquals(0, snapshot.get("n1").requested().milliCpu);
  }

  @Test
  void snapshotCopiesOnlyChangedNodes() {
    cache.addNode(node("a"));
    cache.addNode(node("b"));
    cache.updateSnapshot(snapshot);
    NodeInfo a = snapshot.get("a");
    NodeInfo b = snapshot.get("b");
    cache.addPod(bound(pod("p", "1", "1Gi"), "b"));
    cache.updateSnapshot(snapshot);
    assertSame(a, snapshot.get("a"), "unchanged node reused");
    assertEquals(0, b.requested().milliCpu, "an old snapshot copy is never mutated");
    assertEquals(1000, snapshot.get("b").requested().milliCpu);
  }

  @Test
  void removedNodesLeaveTheSnapshotAndNodesInterleaveZones() {
    for (String n : List.of("a1", "a2", "b1", "b2")) {
      cache.addNode(node(n, "1", "1Gi", Map.of("topology.kubernetes.io/zone", n.substring(0, 1))));
    }
    cache.updateSnapshot(snapshot);
    assertEquals(
        List.of("a1", "b1", "a2", "b2"), snapshot.list().stream().map(NodeInfo::name).toList());
    cache.removeNode("b1");
    cache.updateSnapshot(snapshot);
    assertNull(snapshot.get("b1"));
    assertEquals(3, snapshot.size());
  }

  @Test
  void affinityIndexesFollowPods() {
    cache.addNode(node("n"));
    Pod anti =
        bound(
            pod(
                "anti",
                b ->
                    b.editSpec()
                        .withNewAffinity()
                        .withNewPodAntiAffinity()
                        .addNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .withTopologyKey("kubernetes.io/hostname")
                        .withNewLabelSelector()
                        .withMatchLabels(Map.of("a", "b"))
                        .endLabelSelector()
                        .endRequiredDuringSchedulingIgnoredDuringExecution()
                        .endPodAntiAffinity()
                        .endAffinity()
                        .endSpec()),
            "n");
    cache.addPod(anti);
    cache.updateSnapshot(snapshot);
    assertEquals(1, snapshot.havePodsWithRequiredAntiAffinity().size());
    cache.removePod(anti);
    cache.updateSnapshot(snapshot);
    assertTrue(snapshot.havePodsWithRequiredAntiAffinity().isEmpty());
  }
}
