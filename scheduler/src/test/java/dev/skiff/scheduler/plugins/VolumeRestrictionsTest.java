package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.on;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class VolumeRestrictionsTest {
  private final ClusterObjects objects = new ClusterObjects();

  private static Pod with(String name, Volume... volumes) {
    return pod(name, p -> p.editSpec().addToVolumes(volumes).endSpec());
  }

  private static Volume gcePd(String disk, boolean readOnly) {
    return new VolumeBuilder()
        .withName("disk")
        .withNewGcePersistentDisk()
        .withPdName(disk)
        .withReadOnly(readOnly)
        .endGcePersistentDisk()
        .build();
  }

  private static Volume ebs(String id) {
    return new VolumeBuilder()
        .withName("ebs")
        .withNewAwsElasticBlockStore()
        .withVolumeID(id)
        .withReadOnly(true)
        .endAwsElasticBlockStore()
        .build();
  }

  private static Volume rbd(String image, List<String> monitors) {
    return new VolumeBuilder()
        .withName("rbd")
        .withNewRbd()
        .withImage(image)
        .withMonitors(monitors)
        .endRbd()
        .build();
  }

  private static Volume claim(String name) {
    return new VolumeBuilder()
        .withName("data")
        .withNewPersistentVolumeClaim()
        .withClaimName(name)
        .endPersistentVolumeClaim()
        .build();
  }

  private void putClaim(String name, String accessMode) {
    objects.putClaim(
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withAccessModes(accessMode)
            .withVolumeName("pv-" + name)
            .endSpec()
            .build());
    objects.putVolume(
        new PersistentVolumeBuilder()
            .withNewMetadata()
            .withName("pv-" + name)
            .endMetadata()
            .withNewSpec()
            .withAccessModes(accessMode)
            .endSpec()
            .build());
  }

  private Framework over(NodeInfo... nodes) {
    return framework(List.of(nodes), objects, new FakeSchedulerClient());
  }

  @Test
  void theSameDiskIsSharedOnANodeOnlyWhenEveryMountIsReadOnly() {
    NodeInfo writer = NodeInfo.of(node("a"), on(with("w", gcePd("pd-1", false)), "a"));
    NodeInfo reader = NodeInfo.of(node("b"), on(with("r", gcePd("pd-1", true)), "b"));
    Framework fw = over(writer, reader);

    assertEquals(
        "node(s) had no available disk",
        filter(fw, with("p", gcePd("pd-1", true)), writer).message());
    assertTrue(filter(fw, with("p", gcePd("pd-1", true)), reader).isSuccess());
    assertEquals(
        "node(s) had no available disk",
        filter(fw, with("p", gcePd("pd-1", false)), reader).message());
    assertTrue(filter(fw, with("p", gcePd("pd-2", false)), writer).isSuccess());
  }

  @Test
  void ebsVolumesNeverShareAndRbdImagesConflictWhenAMonitorIsShared() {
    NodeInfo n =
        NodeInfo.of(
            node("a"),
            on(with("e", ebs("vol-1")), "a"),
            on(with("r", rbd("img", List.of("10.0.0.1:6789", "10.0.0.2:6789"))), "a"));
    Framework fw = over(n);

    assertEquals(Status.Code.UNSCHEDULABLE, filter(fw, with("p", ebs("vol-1")), n).code());
    assertTrue(filter(fw, with("p", ebs("vol-2")), n).isSuccess());
    assertEquals(
        "node(s) had no available disk",
        filter(fw, with("p", rbd("img", List.of("10.0.0.2:6789"))), n).message());
    assertTrue(filter(fw, with("p", rbd("img", List.of("10.0.0.9:6789"))), n).isSuccess());
    assertTrue(filter(fw, with("p", rbd("other", List.of("10.0.0.1:6789"))), n).isSuccess());
  }

  @Test
  void aReadWriteOncePodClaimInUseAnywhereKeepsThePodOffEveryNode() {
    putClaim("solo", "ReadWriteOncePod");
    putClaim("shared", "ReadWriteOnce");
    NodeInfo a = NodeInfo.of(node("a"), on(with("holder", claim("solo"), claim("shared")), "a"));
    NodeInfo b = NodeInfo.of(node("b"));
    Framework fw = over(a, b);

    assertEquals(
        "node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access"
            + " mode",
        filter(fw, with("p", claim("solo")), b).message());
    assertTrue(filter(fw, with("p", claim("shared")), b).isSuccess());
  }

  @Test
  void removingTheClaimsUserClearsTheConflictForPreemption() {
    putClaim("solo", "ReadWriteOncePod");
    PodInfo holder = on(with("holder", claim("solo")), "a");
    NodeInfo a = NodeInfo.of(node("a"), holder);
    Framework fw = over(a);
    Pod p = with("p", claim("solo"));
    CycleState state = new CycleState();
    assertTrue(fw.runPreFilterPlugins(state, p).isSuccess());
    assertEquals(Status.Code.UNSCHEDULABLE, fw.runFilterPlugins(state, p, a).code());

    fw.runPreFilterRemovePod(state, p, holder, a);

    assertTrue(fw.runFilterPlugins(state, p, a).isSuccess());
  }

  @Test
  void aMissingClaimIsUnresolvable() {
    NodeInfo a = NodeInfo.of(node("a"));
    Status s = filter(over(a), with("p", claim("nope")), a);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("persistentvolumeclaim \"nope\" not found", s.message());
  }
}
