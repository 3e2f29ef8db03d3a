package dev.skiff.controllers.volume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;

/**
 * The built-in {@code local-path} StorageClass: a claim gets a hostPath directory under {@code dir}
 * on the node its first consumer was scheduled to, pinned there by node affinity.
 */
public final class LocalPathProvisioner {
  public static final String CLASS_NAME = "local-path";
  public static final String PROVISIONER = "skiff.dev/local-path";
  static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
  static final String HOSTNAME_LABEL = "kubernetes.io/hostname";

  private final Path dir;

  public LocalPathProvisioner(Path dir) {
    this.dir = dir;
  }

  /** The class, WaitForFirstConsumer with reclaim policy Delete; default unless one exists. */
  StorageClass storageClass(boolean makeDefault) {
    var builder =
        new StorageClassBuilder()
            .withNewMetadata()
            .withName(CLASS_NAME)
            .endMetadata()
            .withProvisioner(PROVISIONER)
            .withReclaimPolicy("Delete")
            .withVolumeBindingMode("WaitForFirstConsumer");
    if (makeDefault) {
      builder
          .editMetadata()
          .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true"))
          .endMetadata();
    }
    return builder.build();
  }

  /** A volume for {@code claim} on {@code node}, already reserved for the claim. */
  PersistentVolume volumeFor(PersistentVolumeClaim claim, String node, String reclaimPolicy) {
    String name = "pvc-" + claim.getMetadata().getUid();
    String path =
        dir.resolve(
                name
                    + "_"
                    + claim.getMetadata().getNamespace()
                    + "_"
                    + claim.getMetadata().getName())
            .toString();
    Quantity size =
        claim.getSpec().getResources() == null
                || claim.getSpec().getResources().getRequests() == null
                || !claim.getSpec().getResources().getRequests().containsKey("storage")
            ? new Quantity("1Gi")
            : claim.getSpec().getResources().getRequests().get("storage");
    return new PersistentVolumeBuilder()
        .withNewMetadata()
        .withName(name)
        .withAnnotations(Map.of(PROVISIONED_BY, PROVISIONER))
        .endMetadata()
        .withNewSpec()
        .withCapacity(Map.of("storage", size))
        .withAccessModes(claim.getSpec().getAccessModes())
        .withVolumeMode(claim.getSpec().getVolumeMode())
        .withStorageClassName(CLASS_NAME)
        .withPersistentVolumeReclaimPolicy(reclaimPolicy == null ? "Delete" : reclaimPolicy)
        .withNewHostPath()
        .withPath(path)
        .withType("DirectoryOrCreate")
        .endHostPath()
        .withNewNodeAffinity()
        .withNewRequired()
        .addNewNodeSelectorTerm()
        .addNewMatchExpression()
        .withKey(HOSTNAME_LABEL)
        .withOperator("In")
        .withValues(node)
        .endMatchExpression()
        .endNodeSelectorTerm()
        .endRequired()
        .endNodeAffinity()
        .withNewClaimRef()
        .withApiVersion("v1")
        .withKind("PersistentVolumeClaim")
        .withNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .withUid(claim.getMetadata().getUid())
        .endClaimRef()
        .endSpec()
        .build();
  }

  static boolean provisioned(PersistentVolume volume) {
    return PROVISIONER.equals(volume.getMetadata().getAnnotations().get(PROVISIONED_BY));
  }

  /**
   * Removes the volume's directory when it is on this machine (the single-host cluster); on other
   * nodes it is left for the node's administrator.
   */
  void deleteData(PersistentVolume volume) {
    if (volume.getSpec().getHostPath() == null) {
      return;
    }
    Path path = Path.of(volume.getSpec().getHostPath().getPath());
    if (!path.normalize().startsWith(dir.normalize()) || !Files.isDirectory(path)) {
      return;
    }
    try (var files = Files.walk(path)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + path, e);
    }
  }
}
