package dev.skiff.controllers.podautoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaCalculatorTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private final ReplicaCalculator calc = new ReplicaCalculator(0.1, NOW);

  /** A running pod requesting 500m cpu, started and ready ten minutes ago. */
  private static Pod pod(String name, String phase, String ready) {
    String then = NOW.minus(Duration.ofMinutes(10)).toString();
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("100Mi")))
        .endResources()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withStartTime(then)
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .withLastTransitionTime(then)
        .endCondition()
        .endStatus()
        .build();
  }

  private static List<Pod> running(int n) {
    List<Pod> pods = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pods.add(pod("p" + i, "Running", "True"));
    }
    return pods;
  }

  private static Map<String, PodMetric> usage(long... millis) {
    Map<String, PodMetric> m = new HashMap<>();
    for (int i = 0; i < millis.length; i++) {
      m.put("p" + i, new PodMetric(millis[i], NOW, Duration.ofSeconds(15)));
    }
    return m;
  }

  @Test
  void scalesToTheRatioOfUsageToTarget() throws Exception {
    // 3 pods at 400m of 500m: 80% against a 50% target → ceil(1.6 × 3) = 5.
    var p = calc.utilization(3, 50, "cpu", running(3), usage(400, 400, 400));
    assertEquals(5, p.replicas());
    assertEquals(80, p.utilization());
    assertEquals(400, p.averageMilli());
  }

  @Test
  void withinTheTenPercentToleranceNothingChanges() throws Exception {
    assertEquals(3, calc.utilization(3, 50, "cpu", running(3), usage(270, 270, 270)).replicas());
    assertEquals(4, calc.utilization(3, 50, "cpu", running(3), usage(280, 280, 280)).replicas());
  }

  @Test
  void podsWithoutMetricsCountAsAtTargetWhenScalingDown() throws Exception {
    // Two pods idle, one without metrics: assumed at 100% of its request, so the ratio is
    // (0 + 0 + 500) / 1500 = 33% of a 50% target → ceil(0.67 × 3) = 2, not 1.
    var p = calc.utilization(3, 50, "cpu", running(3), usage(0, 0));
    assertEquals(2, p.replicas());
  }

  @Test
  void unreadyPodsCountAsIdleWhenScalingUp() throws Exception {
    List<Pod> pods = running(2);
    pods.add(pod("p2", "Running", "False"));
    // Ready pods at 100% (ratio 2); the unready one as 0 → 66%/50% → ceil(1.33 × 3) = 4.
    assertEquals(4, calc.utilization(2, 50, "cpu", pods, usage(500, 500, 500)).replicas());
  }

  @Test
  void averageValueTargetsUsagePerPod() throws Exception {
    var p = calc.averageValue(2, 200, "cpu", running(2), usage(300, 300));
    assertEquals(3, p.replicas());
    assertEquals(null, p.utilization());
    assertEquals(300, p.averageMilli());
  }

  @Test
  void explainsWhatIsMissing() {
    var noRequest =
        new PodBuilder(pod("p0", "Running", "True"))
            .editSpec()
            .editFirstContainer()
            .withNewResources()
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    var e =
        assertThrows(
            ReplicaCalculator.Failed.class,
            () -> calc.utilization(1, 50, "cpu", List.of(noRequest), usage(100)));
    assertEquals("missing request for cpu in container c of Pod p0", e.getMessage());
    assertEquals(
        "no pods returned by selector while calculating replica count",
        assertThrows(
                ReplicaCalculator.Failed.class,
                () -> calc.utilization(1, 50, "cpu", List.of(), usage()))
            .getMessage());
  }
}
