package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Stands in for the kubelet running run-to-completion pods: a pod whose image ends in ":ok" exits 0
 * (Succeeded), one ending in ":fail" exits 1 (Failed); others keep running.
 */
final class PodExits implements AutoCloseable {
  private final KubernetesClient client;
  private final Watch watch;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  PodExits(KubernetesClient client) {
    this.client = client;
    this.watch =
        client
            .pods()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action != Action.DELETED) {
                      executor.execute(() -> exit(pod));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  private void exit(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      try {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .withGracePeriod(0)
            .delete();
      } catch (KubernetesClientException e) {
        // Already gone.
      }
      return;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return;
    }
    String image = pod.getSpec().getContainers().getFirst().getImage();
    String outcome =
        image.endsWith(":ok") ? "Succeeded" : image.endsWith(":fail") ? "Failed" : null;
    if (outcome == null) {
      return;
    }
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(new PodBuilder(pod).editOrNewStatus().withPhase(outcome).endStatus().build())
          .updateStatus();
    } catch (KubernetesClientException e) {
      // Changed meanwhile: the watch brings the newer version.
    }
  }

  @Override
  public void close() {
    watch.close();
    executor.shutdownNow();
  }
}
