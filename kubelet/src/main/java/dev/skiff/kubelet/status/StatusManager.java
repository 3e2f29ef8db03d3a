package dev.skiff.kubelet.status;

import dev.skiff.kubelet.ApiCalls;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes pod statuses through {@code pods/status}, only when they differ from what was last written
 * (or from what the API server holds, for a pod not written yet by this kubelet).
 */
public final class StatusManager {
  private final KubernetesClient client;
  private final Map<String, PodStatus> written = new ConcurrentHashMap<>();

  public StatusManager(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Writes {@code status} for {@code pod} if it changed; returns false when the pod is gone from
   * the API server.
   */
  public boolean set(Pod pod, PodStatus status) {
    String uid = pod.getMetadata().getUid();
    PodStatus last = written.getOrDefault(uid, pod.getStatus());
    if (status.equals(last)) {
      return true;
    }
    Pod patch =
        new PodBuilder()
            .withNewMetadata()
            .withName(pod.getMetadata().getName())
            .withNamespace(pod.getMetadata().getNamespace())
            .endMetadata()
            .withStatus(status)
            .build();
    try {
      ApiCalls.retryOnConflict(
          () ->
              client
                  .pods()
                  .inNamespace(pod.getMetadata().getNamespace())
                  .resource(patch)
                  .patchStatus());
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        return false;
      }
      throw e;
    }
    written.put(uid, status);
    return true;
  }

  /** The status last written for a pod, or null. */
  public PodStatus last(String uid) {
    return written.get(uid);
  }

  public void forget(String uid) {
    written.remove(uid);
  }
}
