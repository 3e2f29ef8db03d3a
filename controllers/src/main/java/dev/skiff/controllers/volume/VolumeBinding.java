package dev.skiff.controllers.volume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Objects;

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
    try {
      PersistentVolume bound =
          client
              .persistentVolumes()
              .withName(volumeName)
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
          client
              .persistentVolumeClaims()
              .inNamespace(claim.getMetadata().getNamespace())
              .withName(claim.getMetadata().getName())
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
      client
          .persistentVolumeClaims()
          .inNamespace(claim.getMetadata().getNamespace())
          .withName(claim.getMetadata().getName())
          .editStatus(
              c -> {
                var status =
                    c.getStatus() == null ? new PersistentVolumeClaimStatus() : c.getStatus();
                status.setPhase("Bound");
                status.setAccessModes(bound.getSpec().getAccessModes());
                status.setCapacity(bound.getSpec().getCapacity());
                c.setStatus(status);
                return c;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  void unbind(PersistentVolume volume) {
    try {
      client
          .persistentVolumes()
          .withName(volume.getMetadata().getName())
          .edit(
              v -> {
                v.getSpec().setClaimRef(null);
                var annotations = PersistentVolumeBinder.annotations(v);
                annotations.remove(PersistentVolumeBinder.BOUND_BY_CONTROLLER);
                v.getMetadata().setAnnotations(annotations);
                return v;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  void volumePhase(PersistentVolume volume, String phase, String message) {
    var current = volume.getStatus();
    if (current != null
        && phase.equals(current.getPhase())
        && Objects.equals(message, current.getMessage())) {
      return;
    }
    try {
      client
          .persistentVolumes()
          .withName(volume.getMetadata().getName())
          .editStatus(
              v -> {
                var status = v.getStatus() == null ? new PersistentVolumeStatus() : v.getStatus();
                status.setPhase(phase);
                status.setMessage(message);
                v.setStatus(status);
                return v;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  void claimPhase(PersistentVolumeClaim claim, String phase) {
    try {
      client
          .persistentVolumeClaims()
          .inNamespace(claim.getMetadata().getNamespace())
          .withName(claim.getMetadata().getName())
          .editStatus(
              c -> {
                var status =
                    c.getStatus() == null ? new PersistentVolumeClaimStatus() : c.getStatus();
                status.setPhase(phase);
                c.setStatus(status);
                return c;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  void annotateClaim(PersistentVolumeClaim claim, String key, String value) {
    if (value.equals(claim.getMetadata().getAnnotations().get(key))) {
      return;
    }
    client
        .persistentVolumeClaims()
        .inNamespace(claim.getMetadata().getNamespace())
        .withName(claim.getMetadata().getName())
        .edit(
            c -> {
              var annotations = PersistentVolumeBinder.annotations(c);
              annotations.put(key, value);
              c.getMetadata().setAnnotations(annotations);
              return c;
            });
  }
}
