package dev.skiff.controllers.volume;

import dev.skiff.api.quantity.Quantity;
import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;

/** Which available PersistentVolume best satisfies a claim, as upstream's binder chooses. */
public final class VolumeMatcher {
  private VolumeMatcher() {}

  /** The smallest available volume that satisfies the claim. */
  public static Optional<PersistentVolume> best(
      PersistentVolumeClaim claim, Collection<PersistentVolume> volumes) {
    return volumes.stream()
        .filter(v -> v.getSpec().getClaimRef() == null)
        .filter(v -> v.getMetadata().getDeletionTimestamp() == null)
        .filter(
            v ->
                v.getStatus() == null
                    || v.getStatus().getPhase() == null
                    || "Available".equals(v.getStatus().getPhase()))
        .filter(v -> satisfies(v, claim))
        .min(
            Comparator.comparing((PersistentVolume v) -> capacity(v).orElse(Quantity.of(0)))
                .thenComparing(v -> v.getMetadata().getName()));
  }

  /** Class, volume mode, access modes, capacity and the claim's selector all fit. */
  public static boolean satisfies(PersistentVolume volume, PersistentVolumeClaim claim) {
    if (!Objects.equals(className(claim), className(volume))) {
      return false;
    }
    if (!Objects.equals(
        Objects.requireNonNullElse(claim.getSpec().getVolumeMode(), "Filesystem"),
        Objects.requireNonNullElse(volume.getSpec().getVolumeMode(), "Filesystem"))) {
      return false;
    }
    if (!new HashSet<>(volume.getSpec().getAccessModes())
        .containsAll(claim.getSpec().getAccessModes())) {
      return false;
    }
    Optional<Quantity> requested = requested(claim);
    if (requested.isPresent()
        && capacity(volume).map(c -> c.compareTo(requested.get()) < 0).orElse(true)) {
      return false;
    }
    return claim.getSpec().getSelector() == null
        || LabelSelector.fromModel(claim.getSpec().getSelector())
            .matches(volume.getMetadata().getLabels());
  }

  static String className(PersistentVolumeClaim claim) {
    return Objects.requireNonNullElse(claim.getSpec().getStorageClassName(), "");
  }

  static String className(PersistentVolume volume) {
    return Objects.requireNonNullElse(volume.getSpec().getStorageClassName(), "");
  }

  static Optional<Quantity> requested(PersistentVolumeClaim claim) {
    var resources = claim.getSpec().getResources();
    if (resources == null || resources.getRequests() == null) {
      return Optional.empty();
    }
    var storage = resources.getRequests().get("storage");
    return storage == null ? Optional.empty() : Optional.of(Quantity.parse(storage.toString()));
  }

  static Optional<Quantity> capacity(PersistentVolume volume) {
    if (volume.getSpec().getCapacity() == null) {
      return Optional.empty();
    }
    var storage = volume.getSpec().getCapacity().get("storage");
    return storage == null ? Optional.empty() : Optional.of(Quantity.parse(storage.toString()));
  }
}
