package dev.skiff.controllers.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NamespaceCondition;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NamespaceConditionsTest {
  private static Map<String, NamespaceCondition> byType(List<NamespaceCondition> conditions) {
    return conditions.stream().collect(Collectors.toMap(NamespaceCondition::getType, c -> c));
  }

  @Test
  void remainingContentAndFinalizersAreSpelledAsUpstream() {
    NamespaceConditions conditions = new NamespaceConditions();
    conditions.remaining("pods.", 2, List.of("example.com/a", "example.com/a"));
    conditions.remaining("deployments.apps", 1, List.of());
    assertFalse(conditions.contentGone());
    var c = byType(conditions.build("2026-01-01T00:00:00Z"));
    assertEquals("True", c.get("NamespaceContentRemaining").getStatus());
    assertEquals("SomeResourcesRemain", c.get("NamespaceContentRemaining").getReason());
    assertEquals(
        "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 2 resource instances",
        c.get("NamespaceContentRemaining").getMessage());
    assertEquals(
        "Some content in the namespace has finalizers remaining: example.com/a in 2 resource instances",
        c.get("NamespaceFinalizersRemaining").getMessage());
    assertEquals("ContentDeleted", c.get("NamespaceDeletionContentFailure").getReason());
  }

  @Test
  void anEmptyNamespaceReportsEveryStepDone() {
    NamespaceConditions conditions = new NamespaceConditions();
    assertTrue(conditions.contentGone());
    var c = byType(conditions.build("2026-01-01T00:00:00Z"));
    assertEquals(5, c.size());
    assertEquals(
        "All content successfully removed", c.get("NamespaceContentRemaining").getMessage());
    assertEquals("ResourcesDiscovered", c.get("NamespaceDeletionDiscoveryFailure").getReason());
    c.values().forEach(condition -> assertEquals("False", condition.getStatus()));
  }

  @Test
  void failedDiscoveryBlocksTheRelease() {
    NamespaceConditions conditions = new NamespaceConditions();
    conditions.discoveryFailed(List.of("metrics.k8s.io/v1beta1"));
    assertFalse(conditions.contentGone(), "unknown resources might still hold content");
    var c = byType(conditions.build("2026-01-01T00:00:00Z"));
    assertEquals(
        "Discovery failed for some groups, 1 failing: metrics.k8s.io/v1beta1",
        c.get("NamespaceDeletionDiscoveryFailure").getMessage());
  }
}
