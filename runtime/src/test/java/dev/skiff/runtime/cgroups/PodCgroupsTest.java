package dev.skiff.runtime.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.skiff.runtime.LinuxContainerResources;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodCgroupsTest {
  static final long MI = 1 << 20;

  @Test
  void qosClasses() {
    assertEquals(QosClass.BEST_EFFORT, QosClass.of(List.of(ResourceRequirements.NONE)));
    assertEquals(
        QosClass.GUARANTEED,
        QosClass.of(List.of(new ResourceRequirements(null, 500L, null, 64 * MI))));
    assertEquals(
        QosClass.BURSTABLE,
        QosClass.of(List.of(new ResourceRequirements(100L, 500L, null, 64 * MI))));
    assertEquals(
        QosClass.BURSTABLE,
        QosClass.of(
            List.of(
                new ResourceRequirements(500L, 500L, 64 * MI, 64 * MI),
                ResourceRequirements.NONE)));
    assertEquals("BestEffort", QosClass.BEST_EFFORT.apiName());
  }

  @Test
  void cgroupPathsFollowUpstreamTree() {
    assertEquals("/kubepods/poda", PodCgroups.podCgroup(QosClass.GUARANTEED, "a"));
    assertEquals("/kubepods/burstable/poda", PodCgroups.podCgroup(QosClass.BURSTABLE, "a"));
    assertEquals("/kubepods/besteffort/poda", PodCgroups.podCgroup(QosClass.BEST_EFFORT, "a"));
    assertEquals("/kubepods/poda/c1", PodCgroups.containerCgroup("/kubepods/poda", "c1"));
    assertThrows(
        IllegalArgumentException.class, () -> PodCgroups.podCgroup(QosClass.BURSTABLE, "../x"));
  }

  @Test
  void cpuConversionsMatchUpstream() {
    assertEquals(2, CpuConversion.sharesFromMilli(0));
    assertEquals(2, CpuConversion.sharesFromMilli(1));
    assertEquals(102, CpuConversion.sharesFromMilli(100));
    assertEquals(204, CpuConversion.sharesFromMilli(200));
    assertEquals(1024, CpuConversion.sharesFromMilli(1000));
    assertEquals(262144, CpuConversion.sharesFromMilli(1_000_000));
    assertEquals(0, CpuConversion.quotaFromMilli(0, 100_000));
    assertEquals(20_000, CpuConversion.quotaFromMilli(200, 100_000));
    assertEquals(1000, CpuConversion.quotaFromMilli(1, 100_000));
    assertEquals(1, CpuConversion.weightFromShares(2));
    assertEquals(10000, CpuConversion.weightFromShares(262144));
    assertEquals(39, CpuConversion.weightFromShares(1024));
  }

  @Test
  void containerResourcesByQos() {
    var r = new ResourceRequirements(100L, 200L, 32 * MI, 64 * MI);
    LinuxContainerResources burstable = PodCgroups.container(r, QosClass.BURSTABLE, 1024 * MI);
    assertEquals(102, burstable.cpuShares());
    assertEquals(20_000, burstable.cpuQuota());
    assertEquals(100_000, burstable.cpuPeriod());
    assertEquals(64 * MI, burstable.memoryLimitInBytes());
    assertEquals(969, burstable.oomScoreAdj());
    assertEquals(-997, PodCgroups.container(r, QosClass.GUARANTEED, 0).oomScoreAdj());
    LinuxContainerResources be =
        PodCgroups.container(ResourceRequirements.NONE, QosClass.BEST_EFFORT, 0);
    assertEquals(2, be.cpuShares());
    assertEquals(0, be.cpuQuota());
    assertEquals(1000, be.oomScoreAdj());
  }

  @Test
  void podResourcesSumRequestsAndLimitOnlyWhenAllContainersDo() {
    var a = new ResourceRequirements(100L, 200L, null, 64 * MI);
    var b = new ResourceRequirements(300L, null, null, 32 * MI);
    LinuxContainerResources pod =
        PodCgroups.pod(List.of(a, b), List.of(), QosClass.BURSTABLE, 1024);
    assertEquals(CpuConversion.sharesFromMilli(400), pod.cpuShares());
    assertEquals(0, pod.cpuQuota());
    assertEquals(96 * MI, pod.memoryLimitInBytes());
    assertEquals(1024, pod.pidsLimit());
    var init = new ResourceRequirements(1000L, 1000L, null, 16 * MI);
    LinuxContainerResources withInit =
        PodCgroups.pod(List.of(a), List.of(init), QosClass.BURSTABLE, 0);
    assertEquals(1024, withInit.cpuShares());
    assertEquals(100_000, withInit.cpuQuota());
    assertEquals(64 * MI, withInit.memoryLimitInBytes());
    assertEquals(
        2,
        PodCgroups.pod(List.of(ResourceRequirements.NONE), List.of(), QosClass.BEST_EFFORT, 0)
            .cpuShares());
  }
}
