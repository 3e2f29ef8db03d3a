package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.on;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.skiff.scheduler.cache.NodeInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResourcesBalancedAllocationTest {
  @Test
  void favorsTheNodeWhereCpuAndMemoryStayEven() {
    NodeInfo cpuHeavy =
        NodeInfo.of(node("cpu", "4", "8Gi", Map.of()), on(pod("x", "3", "1Gi"), "cpu"));
    NodeInfo even =
        NodeInfo.of(node("even", "4", "8Gi", Map.of()), on(pod("y", "1", "2Gi"), "even"));
    var nodes = List.of(cpuHeavy, even);
    long[] s =
        scores(framework(nodes), NodeResourcesBalancedAllocation.NAME, pod("p", "1", "2Gi"), nodes);
    // cpu 4/4=1.0 vs memory 3/8=0.375: std 0.3125; even: 0.5 vs 0.5: std 0.
    assertArrayEquals(new long[] {68, 100}, s);
  }

  @Test
  void bestEffortPodsAreNotScored() {
    NodeInfo n = NodeInfo.of(node("n"));
    assertArrayEquals(
        new long[] {0},
        scores(framework(List.of(n)), NodeResourcesBalancedAllocation.NAME, pod("p"), List.of(n)));
  }
}
