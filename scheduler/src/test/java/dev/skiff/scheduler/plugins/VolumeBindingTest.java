package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VolumeBindingTest {
  private final ClusterObjects objects = new ClusterObjects();
  private final FakeSchedulerClient client = new FakeSchedulerClient();
  private final NodeInfo a = NodeInfo.of(node("a", "4", "8Gi", Map.of("rack", "a")));
  private final NodeInfo b = NodeInfo.of(node("b", "4", "8Gi", Map.of("rack", "b")));
  private Framework fw;

  @BeforeEach
  void setUp() {
    objects.putStorageClass(
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("local")
            .endMetadata()
            .withProvisioner("kubernetes.io/no-provisioner")
            .withVolumeBindingMode("WaitForFirstConsumer")
            .build());
    objects.putStorageClass(
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("dynamic")
            .endMetadata()
            .withProvisioner("example.com/csi")
            .withVolumeBindingMode("WaitForFirstConsumer")
            .build());
    objects.putStorageClass(
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("immediate")
            .endMetadata()
            .withProvisioner("example.com/csi")
            .build());
    fw = framework(List.of(a, b), objects, client);
  }

  private static PersistentVolumeClaim claim(String name, String storageClass, String volumeName) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withStorageClassName(storageClass)
        .withVolumeName(volumeName)
        .withAccessModes("ReadWriteOnce")
        .withNewResources()
        .withRequests(Map.of("storage", new Quantity("1Gi")))
        .endResources()
        .endSpec()
        .build();
  }

  private static PersistentVolume localVolume(String name, String rack, String size) {
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withStorageClassName("local")
        .withAccessModes("ReadWriteOnce")
        .withCapacity(Map.of("storage", new Quantity(size)))
        .withNewNodeAffinity()
        .withNewRequired()
        .withNodeSelectorTerms(
            new NodeSelectorTermBuilder()
                .withMatchExpressions(new NodeSelectorRequirement("rack", "In", List.of(rack)))
                .build())
        .endRequired()
        .endNodeAffinity()
        .endSpec()
        .build();
  }

  private static Pod using(String claim) {
    return pod(
        "p",
        p ->
            p.editSpec()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName(claim)
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec());
  }

  @Test
  void missingClaimIsReportedByName() {
    Status s = filter(fw, using("nope"), a);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("persistentvolumeclaim \"nope\" not found", s.message());
  }

  @Test
  void unboundImmediateClaimBlocksThePod() {
    objects.putClaim(claim("data", "immediate", null));
    assertEquals(
        "pod has unbound immediate PersistentVolumeClaims", filter(fw, using("data"), a).message());
  }

  @Test
  void boundVolumePinsThePodToReachableNodes() {
    objects.putVolume(localVolume("pv-a", "a", "10Gi"));
    objects.putClaim(claim("data", "local", "pv-a"));
    assertTrue(filter(fw, using("data"), a).isSuccess());
    assertEquals(
        "node(s) had volume node affinity conflict", filter(fw, using("data"), b).message());
  }

  @Test
  void waitForFirstConsumerPicksTheSmallestFittingLocalVolumeAndBindsItBeforeTheBinding() {
    objects.putVolume(localVolume("big-a", "a", "100Gi"));
    objects.putVolume(localVolume("small-a", "a", "2Gi"));
    objects.putVolume(localVolume("tiny-a", "a", "500Mi"));
    objects.putClaim(claim("data", "local", null));
    Pod p = using("data");
    CycleState state = new CycleState();
    assertTrue(fw.runPreFilterPlugins(state, p).isSuccess());
    assertEquals(
        "node(s) didn't find available persistent volumes to bind",
        fw.runFilterPlugins(state, p, b).message());
    assertTrue(fw.runFilterPlugins(state, p, a).isSuccess());
    assertTrue(fw.runReservePlugins(state, p, "a").isSuccess());
    assertTrue(fw.runPreBindPlugins(state, p, "a").isSuccess());
    assertEquals(Map.of("small-a", "data"), client.boundVolumes);
  }

  @Test
  void dynamicProvisioningRecordsTheChosenNodeOnTheClaim() {
    objects.putClaim(claim("data", "dynamic", null));
    Pod p = using("data");
    CycleState state = new CycleState();
    fw.runPreFilterPlugins(state, p);
    assertTrue(fw.runFilterPlugins(state, p, b).isSuccess());
    fw.runReservePlugins(state, p, "b");
    fw.runPreBindPlugins(state, p, "b");
    assertEquals(Map.of("data", "b"), client.selectedNodes);
  }
}
