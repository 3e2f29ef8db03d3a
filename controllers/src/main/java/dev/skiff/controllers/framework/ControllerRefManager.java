package dev.skiff.controllers.framework;

import dev.skiff.api.selection.LabelSelector;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Decides which objects a controller owns, as upstream's ControllerRefManager: it keeps those it
 * controls that still match its selector, adopts orphans that match (adding a controller
 * reference), and releases those it controls that no longer match (removing it).
 */
public final class ControllerRefManager<T extends HasMetadata> {
  private final KubernetesClient client;
  private final Class<T> type;

  public ControllerRefManager(KubernetesClient client, Class<T> type) {
    this.client = client;
    this.type = type;
  }

  /**
   * The objects among {@code candidates} that {@code owner} controls after adoption and release.
   * {@code ownerStillValid} is asked, before the first adoption, whether the owner read from the
   * API server (not the cache) still exists with the same UID and is not being deleted.
   */
  public List<T> claim(
      HasMetadata owner,
      LabelSelector selector,
      List<T> candidates,
      OwnerReference ref,
      Supplier<Boolean> ownerStillValid) {
    List<T> claimed = new ArrayList<>();
    Boolean canAdopt = null;
    String uid = owner.getMetadata().getUid();
    for (T object : candidates) {
      var controller = OwnerReferences.controllerOf(object);
      boolean matches = selector.matches(object.getMetadata().getLabels());
      if (controller.isPresent()) {
        if (!controller.get().getUid().equals(uid)) {
          continue;
        }
        if (matches || owner.getMetadata().getDeletionTimestamp() != null) {
          claimed.add(object);
        } else if (object.getMetadata().getDeletionTimestamp() == null) {
          release(object, uid);
        }
        continue;
      }
      if (!matches
          || owner.getMetadata().getDeletionTimestamp() != null
          || object.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (canAdopt == null) {
        canAdopt = ownerStillValid.get();
      }
      if (canAdopt && adopt(object, ref)) {
        claimed.add(object);
      }
    }
    return claimed;
  }

  private boolean adopt(T object, OwnerReference ref) {
    try {
      client
          .resources(type)
          .inNamespace(object.getMetadata().getNamespace())
          .withName(object.getMetadata().getName())
          .edit(
              current -> {
                if (OwnerReferences.controllerOf(current).isPresent()) {
                  throw new IllegalStateException("already controlled");
                }
                current.getMetadata().getOwnerReferences().add(ref);
                return current;
              });
      return true;
    } catch (KubernetesClientException | IllegalStateException e) {
      // Gone or taken by another controller meanwhile: not ours; the next sync sees the truth.
      return false;
    }
  }

  private void release(T object, String ownerUid) {
    try {
      client
          .resources(type)
          .inNamespace(object.getMetadata().getNamespace())
          .withName(object.getMetadata().getName())
          .edit(
              current -> {
                current
                    .getMetadata()
                    .getOwnerReferences()
                    .removeIf(r -> ownerUid.equals(r.getUid()));
                return current;
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
