package dev.skiff.controllers.statefulset;

import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;

/**
 * Creates and deletes a StatefulSet's pods: stable names, hostname and subdomain, the claims of
 * {@code volumeClaimTemplates} (created once, kept when pods go), and upstream's event messages.
 */
final class StatefulPodControl {
  static final String REVISION_LABEL = "controller-revision-hash";
  static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
  static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";

  private final KubernetesClient client;
  private final EventRecorder events;

  StatefulPodControl(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** Creates pod {@code <set>-<ordinal>} from {@code template}, labelled with {@code revision}. */
  void create(StatefulSet set, PodTemplateSpec template, int ordinal, String revision) {
    String setName = set.getMetadata().getName();
    String podName = setName + "-" + ordinal;
    Pod pod =
        PodControl.fromTemplate(
            template, null, OwnerReferences.controllerRef(set, "apps/v1", "StatefulSet"));
    pod.getMetadata().setName(podName);
    pod.getMetadata().setNamespace(set.getMetadata().getNamespace());
    pod.getMetadata().getLabels().put(REVISION_LABEL, revision);
    pod.getMetadata().getLabels().put(POD_NAME_LABEL, podName);
    pod.getMetadata().getLabels().put(POD_INDEX_LABEL, Integer.toString(ordinal));
    pod.getSpec().setHostname(podName);
    pod.getSpec().setSubdomain(set.getSpec().getServiceName());
    for (PersistentVolumeClaim claimTemplate : set.getSpec().getVolumeClaimTemplates()) {
      String claim = claimTemplate.getMetadata().getName() + "-" + podName;
      ensureClaim(set, claimTemplate, claim, podName);
      pod.getSpec()
          .getVolumes()
          .removeIf(v -> v.getName().equals(claimTemplate.getMetadata().getName()));
      pod.getSpec()
          .getVolumes()
          .add(
              new VolumeBuilder()
                  .withName(claimTemplate.getMetadata().getName())
                  .withNewPersistentVolumeClaim()
                  .withClaimName(claim)
                  .endPersistentVolumeClaim()
                  .build());
    }
    try {
      client.pods().inNamespace(set.getMetadata().getNamespace()).resource(pod).create();
      events.normal(
          set,
          "SuccessfulCreate",
          "create Pod " + podName + " in StatefulSet " + setName + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return;
      }
      events.warning(
          set,
          "FailedCreate",
          "create Pod "
              + podName
              + " in StatefulSet "
              + setName
              + " failed error: "
              + PodControl.message(e));
      throw e;
    }
  }

  private void ensureClaim(
      StatefulSet set, PersistentVolumeClaim template, String claim, String podName) {
    var claims = client.persistentVolumeClaims().inNamespace(set.getMetadata().getNamespace());
    if (claims.withName(claim).get() != null) {
      return;
    }
    PersistentVolumeClaim pvc =
        new PersistentVolumeClaimBuilder(template)
            .editMetadata()
            .withName(claim)
            .withNamespace(set.getMetadata().getNamespace())
            .addToLabels(
                set.getSpec().getSelector() == null
                    ? Map.of()
                    : set.getSpec().getSelector().getMatchLabels())
            .endMetadata()
            .withStatus(null)
            .build();
    try {
      claims.resource(pvc).create();
      events.normal(
          set,
          "SuccessfulCreate",
          "create Claim "
              + claim
              + " Pod "
              + podName
              + " in StatefulSet "
              + set.getMetadata().getName()
              + " success");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        events.warning(
            set,
            "FailedCreate",
            "create Claim "
                + claim
                + " for Pod "
                + podName
                + " in StatefulSet "
                + set.getMetadata().getName()
                + " failed error: "
                + PodControl.message(e));
        throw e;
      }
    }
  }

  void delete(StatefulSet set, Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .delete();
      events.normal(
          set,
          "SuccessfulDelete",
          "delete Pod "
              + pod.getMetadata().getName()
              + " in StatefulSet "
              + set.getMetadata().getName()
              + " successful");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
