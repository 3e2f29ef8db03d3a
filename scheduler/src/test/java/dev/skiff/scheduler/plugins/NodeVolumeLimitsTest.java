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
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.storage.CSINodeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeVolumeLimitsTest {
  private static final String DRIVER = "disk.csi.example.com";
  private final ClusterObjects objects = new ClusterObjects();

  @BeforeEach
  void storageClass() {
    objects.putStorageClass(
        new StorageClassBuilder()
            .withNewMetadata()
            .withName("csi")
            .endMetadata()
            .withProvisioner(DRIVER)
            .withVolumeBindingMode("WaitForFirstConsumer")
            .build());
  }

  /** A claim bound to a CSI volume of {@link #DRIVER}, or unbound in class "csi" when no handle. */
  private void putClaim(String name, String handle) {
    objects.putClaim(
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withStorageClassName("csi")
            .withAccessModes("ReadWriteOnce")
            .withVolumeName(handle == null ? null : "pv-" + name)
            .endSpec()
            .build());
    if (handle != null) {
      objects.putVolume(
          new PersistentVolumeBuilder()
              .withNewMetadata()
              .withName("pv-" + name)
              .endMetadata()
              .withNewSpec()
              .withStorageClassName("csi")
              .withNewCsi()
              .withDriver(DRIVER)
              .withVolumeHandle(handle)
              .endCsi()
              .endSpec()
              .build());
    }
  }

  private static Pod using(String name, String... claims) {
    Volume[] volumes =
        Arrays.stream(claims)
            .map(
                c ->
                    new VolumeBuilder()
                        .withName(c)
                        .withNewPersistentVolumeClaim()
                        .withClaimName(c)
                        .endPersistentVolumeClaim()
                        .build())
            .toArray(Volume[]::new);
    return pod(name, p -> p.editSpec().addToVolumes(volumes).endSpec());
  }

  private void csiLimit(String nodeName, int count) {
    objects.putCsiNode(
        new CSINodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .endMetadata()
            .withNewSpec()
            .addNewDriver()
            .withName(DRIVER)
            .withNodeID(nodeName)
            .withNewAllocatable()
            .withCount(count)
            .endAllocatable()
            .endDriver()
            .endSpec()
            .build());
  }

  private Status run(Pod p, NodeInfo n) {
    Framework fw = framework(List.of(n), objects, new FakeSchedulerClient());
    return filter(fw, p, n);
  }

  @Test
  void theCsiNodeCountCapsVolumesOfItsDriver() {
    putClaim("one", "vol-1");
    putClaim("two", "vol-2");
    putClaim("three", "vol-3");
    csiLimit("a", 2);
    NodeInfo a = NodeInfo.of(node("a"), on(using("old", "one", "two"), "a"));

    Status full = run(using("p", "three"), a);

    assertEquals(Status.Code.UNSCHEDULABLE, full.code());
    assertEquals("node(s) exceed max volume count", full.message());
    assertTrue(run(using("p", "one"), a).isSuccess(), "a volume already attached counts once");
    assertTrue(
        run(using("p", "three"), NodeInfo.of(node("b"), on(using("old", "one", "two"), "b")))
            .isSuccess(),
        "a node without limits takes any number");
  }

  @Test
  void unboundClaimsCountForTheirClassesProvisioner() {
    putClaim("one", "vol-1");
    putClaim("later", null);
    csiLimit("a", 1);
    NodeInfo a = NodeInfo.of(node("a"), on(using("old", "one"), "a"));

    assertEquals("node(s) exceed max volume count", run(using("p", "later"), a).message());
  }

  @Test
  void attachableVolumesInTheNodesAllocatableAreALimitToo() {
    putClaim("one", "vol-1");
    putClaim("two", "vol-2");
    Node limited =
        node(
            "a",
            b ->
                b.editStatus()
                    .addToAllocatable(NodeVolumeLimits.limitKey(DRIVER), new Quantity("1"))
                    .endStatus());
    NodeInfo a = NodeInfo.of(limited, on(using("old", "one"), "a"));

    assertEquals("node(s) exceed max volume count", run(using("p", "two"), a).message());
  }

  @Test
  void longDriverNamesAreHashedIntoTheLimitKeyAsUpstream() {
    assertEquals("attachable-volumes-csi-" + DRIVER, NodeVolumeLimits.limitKey(DRIVER));
    // 70 characters would be too long: the first 23 of the driver, then 16 hex digits of its SHA-1
    assertEquals(
        "attachable-volumes-csi-a-very-long-csi-driver-86bf5f46bc6f1680",
        NodeVolumeLimits.limitKey("a-very-long-csi-driver-name.storage.example.com"));
  }
}
