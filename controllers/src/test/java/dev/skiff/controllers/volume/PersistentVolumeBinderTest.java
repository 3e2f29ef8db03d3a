package dev.skiff.controllers.volume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PersistentVolumeBinderTest {
  private TestCluster cluster;
  private KubernetesClient client;
  private Path localPathDir;

  private void start(Path dir) throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    localPathDir = dir;
    cluster.start(c -> new PersistentVolumeBinder(c, dir));
  }

  @AfterEach
  void stop() throws IOException {
    cluster.close();
    if (localPathDir != null) {
      try (var files = Files.walk(localPathDir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  private void volume(String name, String size, Map<String, String> labels) {
    client
        .resource(
            new PersistentVolumeBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .withCapacity(Map.of("storage", new Quantity(size)))
                .withAccessModes("ReadWriteOnce")
                .withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath()
                .withPath("/srv/" + name)
                .endHostPath()
                .endSpec()
                .build())
        .create();
  }

  private void claim(String name, String size, String storageClass, Map<String, String> selector) {
    var builder =
        new PersistentVolumeClaimBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withAccessModes("ReadWriteOnce")
            .withStorageClassName(storageClass)
            .withNewResources()
            .withRequests(Map.of("storage", new Quantity(size)))
            .endResources()
            .endSpec();
    if (selector != null) {
      builder.editSpec().withNewSelector().withMatchLabels(selector).endSelector().endSpec();
    }
    client.resource(builder.build()).create();
  }

  private PersistentVolumeClaim getClaim(String name) {
    return client.persistentVolumeClaims().inNamespace("default").withName(name).get();
  }

  private PersistentVolumeClaim awaitBound(String name) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> getClaim(name),
            c -> c.getStatus() != null && "Bound".equals(c.getStatus().getPhase()));
  }

  private String volumePhase(String name) {
    PersistentVolume pv = client.persistentVolumes().withName(name).get();
    return pv == null || pv.getStatus() == null ? null : pv.getStatus().getPhase();
  }

  @Test
  void claimsBindToTheSmallestFittingVolumeAndReleasedVolumesAreRetained() throws Exception {
    start(null);
    volume("pv-1g", "1Gi", Map.of());
    volume("pv-5g", "5Gi", Map.of("tier", "fast"));
    volume("pv-10g", "10Gi", Map.of());
    claim("small", "1Gi", null, null);
    claim("fast", "2Gi", null, Map.of("tier", "fast"));
    claim("huge", "20Gi", null, null);

    PersistentVolumeClaim small = awaitBound("small");
    assertEquals("pv-1g", small.getSpec().getVolumeName());
    assertEquals(
        "yes", small.getMetadata().getAnnotations().get("pv.kubernetes.io/bind-completed"));
    assertEquals("1Gi", small.getStatus().getCapacity().get("storage").toString());
    assertEquals("pv-5g", awaitBound("fast").getSpec().getVolumeName());
    await().atMost(Duration.ofSeconds(30)).until(() -> "Bound".equals(volumePhase("pv-1g")));
    PersistentVolume pv = client.persistentVolumes().withName("pv-1g").get();
    assertEquals("small", pv.getSpec().getClaimRef().getName());
    assertEquals(small.getMetadata().getUid(), pv.getSpec().getClaimRef().getUid());
    await().atMost(Duration.ofSeconds(30)).until(() -> "Available".equals(volumePhase("pv-10g")));
    assertFalse("Bound".equals(getClaim("huge").getStatus().getPhase()));

    client.persistentVolumeClaims().inNamespace("default").withName("small").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> "Released".equals(volumePhase("pv-1g")));
    assertNotNull(client.persistentVolumes().withName("pv-1g").get().getSpec().getClaimRef());
  }

  @Test
  void localPathProvisionsOnTheConsumersNodeAndDeletesWithTheClaim() throws Exception {
    start(Files.createTempDirectory("skiff-local-path"));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.storage().v1().storageClasses().withName("local-path").get() != null);
    var storageClass = client.storage().v1().storageClasses().withName("local-path").get();
    assertEquals("WaitForFirstConsumer", storageClass.getVolumeBindingMode());
    assertEquals(LocalPathProvisioner.PROVISIONER, storageClass.getProvisioner());

    claim("data", "3Gi", "local-path", null);
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("db")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNodeName("node-7")
                .addNewContainer()
                .withName("c")
                .withImage("postgres")
                .endContainer()
                .addNewVolume()
                .withName("data")
                .withNewPersistentVolumeClaim()
                .withClaimName("data")
                .endPersistentVolumeClaim()
                .endVolume()
                .endSpec()
                .build())
        .create();
    PersistentVolumeClaim bound = awaitBound("data");
    PersistentVolume pv =
        client.persistentVolumes().withName(bound.getSpec().getVolumeName()).get();
    assertEquals("3Gi", pv.getSpec().getCapacity().get("storage").toString());
    assertEquals("Delete", pv.getSpec().getPersistentVolumeReclaimPolicy());
    Path path = Path.of(pv.getSpec().getHostPath().getPath());
    assertTrue(path.startsWith(localPathDir));
    assertEquals(
        "node-7",
        pv.getSpec()
            .getNodeAffinity()
            .getRequired()
            .getNodeSelectorTerms()
            .getFirst()
            .getMatchExpressions()
            .getFirst()
            .getValues()
            .getFirst());
    // What the kubelet would have made on the node, here the same machine.
    Files.createDirectories(path);
    Files.writeString(path.resolve("data.db"), "rows");

    client.pods().inNamespace("default").withName("db").withGracePeriod(0).delete();
    client.persistentVolumeClaims().inNamespace("default").withName("data").delete();
    String name = pv.getMetadata().getName();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> client.persistentVolumes().withName(name).get() == null);
    assertFalse(Files.exists(path));
  }
}
