package dev.skiff.controllers.podautoscaler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehaviorBuilder;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ScaleNormalizerTest {
  private static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");
  private final ScaleNormalizer normalizer = new ScaleNormalizer(Duration.ofMinutes(5));

  private static HorizontalPodAutoscalerBehavior behavior(
      int downWindow, String upType, int upValue, String select) {
    return new HorizontalPodAutoscalerBehaviorBuilder()
        .withNewScaleUp()
        .withStabilizationWindowSeconds(0)
        .withSelectPolicy(select)
        .addNewPolicy()
        .withType(upType)
        .withValue(upValue)
        .withPeriodSeconds(60)
        .endPolicy()
        .endScaleUp()
        .withNewScaleDown()
        .withStabilizationWindowSeconds(downWindow)
        .addNewPolicy()
        .withType("Percent")
        .withValue(100)
        .withPeriodSeconds(15)
        .endPolicy()
        .endScaleDown()
        .build();
  }

  @Test
  void scaleDownWaitsForTheHighestRecommendationInTheWindow() {
    ScalingHistory h = new ScalingHistory();
    var b = behavior(60, "Pods", 10, "Max");
    assertEquals(8, normalizer.normalize(b, h, T0, 8, 8, 1, 10).replicas());
    Normalized n = normalizer.normalize(b, h, T0.plusSeconds(30), 8, 2, 1, 10);
    assertEquals(8, n.replicas());
    assertEquals("ScaleDownStabilized", n.ableReason());
    // Once the 8 is older than the window, the lower recommendation applies.
    assertEquals(2, normalizer.normalize(b, h, T0.plusSeconds(61), 8, 2, 1, 10).replicas());
  }

  @Test
  void podsPolicyLimitsTheRateOfScaleUpOverItsPeriod() {
    ScalingHistory h = new ScalingHistory();
    var b = behavior(0, "Pods", 2, "Max");
    Normalized n = normalizer.normalize(b, h, T0, 1, 9, 1, 10);
    assertEquals(3, n.replicas());
    assertTrue(n.limited());
    assertEquals("ScaleUpLimit", n.limitReason());
    h.scaled(T0, 1, 3, Duration.ofSeconds(60));
    // Within the same 60 s period, the 2 pods already added count against the limit.
    assertEquals(3, normalizer.normalize(b, h, T0.plusSeconds(20), 3, 9, 1, 10).replicas());
    assertEquals(5, normalizer.normalize(b, h, T0.plusSeconds(61), 3, 9, 1, 10).replicas());
  }

  @Test
  void disabledPolicyNeverScalesThatWay() {
    var b = behavior(0, "Pods", 2, "Disabled");
    assertEquals(4, normalizer.normalize(b, new ScalingHistory(), T0, 4, 9, 1, 10).replicas());
  }

  @Test
  void boundsApplyWithTheirReasons() {
    var b = behavior(0, "Percent", 900, "Max");
    Normalized n = normalizer.normalize(b, new ScalingHistory(), T0, 2, 40, 1, 10);
    assertEquals(10, n.replicas());
    assertEquals("TooManyReplicas", n.limitReason());
    Normalized within = normalizer.normalize(b, new ScalingHistory(), T0, 2, 5, 1, 10);
    assertFalse(within.limited());
    assertEquals("DesiredWithinRange", within.limitReason());
  }

  @Test
  void withoutBehaviorScaleUpIsAtMostDoubleOrFour() {
    Normalized n = normalizer.normalize(null, new ScalingHistory(), T0, 3, 20, 1, 50);
    assertEquals(6, n.replicas());
    assertEquals("ScaleUpLimit", n.limitReason());
  }
}
