package dev.skiff.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Map<String, Quantity> ALLOCATABLE =
      Map.of("cpu", new Quantity("2"), "memory", new Quantity("1Gi"), "pods", new Quantity("3"));

  private static Pod pod(String cpu, Map<String, String> selector) {
    return new PodBuilder()
        .withNewSpec()
        .withNodeSelector(selector)
        .addNewContainer()
        .withName("a")
        .withNewResources()
        .withRequests(cpu == null ? Map.of() : Map.of("cpu", new Quantity(cpu)))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  @Test
  void admitsWhatFits() {
    assertTrue(
        Admission.check(pod("1", null), List.of(pod("500m", null)), Map.of(), ALLOCATABLE)
            .isEmpty());
  }

  @Test
  void rejectsWhenCpuRunsOut() {
    var r =
        Admission.check(pod("1500m", null), List.of(pod("1", null)), Map.of(), ALLOCATABLE)
            .orElseThrow();
    assertEquals("OutOfcpu", r.reason());
    assertEquals(
        "Pod was rejected: Node didn't have enough resource: cpu, requested: 1500, used: 1000, capacity: 2000",
        r.message());
  }

  @Test
  void rejectsMismatchedNodeSelectorAndFullNode() {
    assertEquals(
        "NodeAffinity",
        Admission.check(
                pod(null, Map.of("disk", "ssd")), List.of(), Map.of("disk", "hdd"), ALLOCATABLE)
            .orElseThrow()
            .reason());
    assertEquals(
        "OutOfpods",
        Admission.check(
                pod(null, null),
                List.of(pod(null, null), pod(null, null), pod(null, null)),
                Map.of(),
                ALLOCATABLE)
            .orElseThrow()
            .reason());
  }
}
