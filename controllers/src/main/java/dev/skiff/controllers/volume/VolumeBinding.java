package dev.skiff.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import java.util.Objects;
import java.util.function.Consumer;

/** The writes that bind, release and report volumes and claims. */
final class VolumeBinding {
  private final KubernetesClient client;

  VolumeBinding(KubernetesClient client) {
    this.client = client;
  }

  boolean refersTo(ObjectReference ref, PersistentVolumeClaim claim) {
    return Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
        && Objects.equals(ref.getName(), claim.getMetadata().getName())
        && (ref.getUid() == null
            || ref.getUid().isEmpty()
            || ref.getUid().equals(claim.getMetadata().getUid()));
  }

  /**
   * Points the volume at the claim and the claim at the volume, then marks both Bound. {@code
   * chosenByUs}: we picked the pair, so both carry the bound-by-controller annotation.
   */
  void bind(PersistentVolume volume, PersistentVolumeClaim claim, boolean chosenByUs) {
    String volumeName = volume.getMetadata().getName();
    unlessGone(
        () -> {
          PersistentVolume bound =
              volume(volume)
                  .edit(
                      v -> {
                        var ref = v.getSpec().getClaimRef();
                        if (ref == null || ref.getUid() == null || ref.getUid().isEmpty()) {
                          if (ref == null) {
                            var annotations = PersistentVolumeBinder.annotations(v);
                            annotations.put(PersistentVolumeBinder.BOUND_BY_CONTROLLER, "yes");
                            v.getMetadata().setAnnotations(annotations);
                          }
                          v.getSpec().setClaimRef(PersistentVolumeBinder.claimRef(claim));
                        }
                        return v;
                      });
          if (!refersTo(bound.getSpec().getClaimRef(), claim)) {
            return;
          }
          volumePhase(bound, "Bound", null);
          PersistentVolumeClaim updated =
              claim(claim)
                  .edit(
                      c -> {
                        var annotations = PersistentVolumeBinder.annotations(c);
                        if (c.getSpec().getVolumeName() == null
                            || c.getSpec().getVolumeName().isEmpty()) {
                          c.getSpec().setVolumeName(volumeName);
                          annotations.put(PersistentVolumeBinder.BOUND_BY_CONTROLLER, "yes");
                        }
                        annotations.put(PersistentVolumeBinder.BIND_COMPLETED, "yes");
                        c.getMetadata().setAnnotations(annotations);
                        return c;
                      });
          if (!volumeName.equals(updated.getSpec().getVolumeName())) {
            return;
          }
          editClaimStatus(
              claim,
              status -> {
                status.setPhase("Bound");
                status.setAccessModes(bound.getSpec().getAccessModes());
                status.setCapacity(bound.getSpec().getCapacity());
              });
        });
  }

  void unbind(PersistentVolume volume) {
    unlessGone(
        () ->
            volume(volume)
                .edit(
                    v -> {
                      v.getSpec().setClaimRef(null);
                      var annotations = PersistentVolumeBinder.annotations(v);
                      annotations.remove(PersistentVolumeBinder.BOUND_BY_CONTROLLER);
                      v.getMetadata().setAnnotations(annotations);
                      return v;
                    }));
  }

  void volumePhase(PersistentVolume volume, String phase, String message) {
    var current = volume.getStatus();
    if (current != null
        && phase.equals(current.getPhase())
        && Objects.equals(message, current.getMessage())) {
      return;
    }
    unlessGone(
        () ->
            volume(volume)
                .editStatus(
                    v -> {
                      var status =
                          v.getStatus() == null ? new PersistentVolumeStatus() : v.getStatus();
                      status.setPhase(phase);
                      status.setMessage(message);
                      v.setStatus(status);
                      return v;
                    }));
  }

  void claimPhase(PersistentVolumeClaim claim, String phase) {
    unlessGone(() -> editClaimStatus(claim, status -> status.setPhase(phase)));
  }

  void annotateClaim(PersistentVolumeClaim claim, String key, String value) {
    if (value.equals(claim.getMetadata().getAnnotations().get(key))) {
      return;
    }
    claim(claim)
        .edit(
            c -> {
              var annotations = PersistentVolumeBinder.annotations(c);
              annotations.put(key, value);
              c.getMetadata().setAnnotations(annotations);
              return c;
            });
  }

  private Resource<PersistentVolume> volume(PersistentVolume volume) {
    return client.persistentVolumes().withName(volume.getMetadata().getName());
  }

  private Resource<PersistentVolumeClaim> claim(PersistentVolumeClaim claim) {
    return client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName());
  }

  private void editClaimStatus(
      PersistentVolumeClaim claim, Consumer<PersistentVolumeClaimStatus> change) {
    claim(claim)
        .editStatus(
            c -> {
              var status =
                  c.getStatus() == null ? new PersistentVolumeClaimStatus() : c.getStatus();
              change.accept(status);
              c.setStatus(status);
              return c;
            });
  }

  /** Runs {@code writes}; an object deleted meanwhile ends them, as its deletion is synced too. */
  private static void unlessGone(Runnable writes) {
    try {
      writes.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
