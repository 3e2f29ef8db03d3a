package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * What every stand-in kubelet of the controller tests does with pods: sees each added or updated
 * pod on one thread, confirms graceful deletions as the kubelet does once containers stop, and
 * hands every other pod to {@code onPod}.
 */
public final class PodFeed implements AutoCloseable {
  private final KubernetesClient client;
  private final Consumer<Pod> onPod;
  private final SharedIndexInformer<Pod> informer;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();

  public PodFeed(KubernetesClient client, Consumer<Pod> onPod) {
    this.client = client;
    this.onPod = onPod;
    this.informer =
        client
            .pods()
            .inAnyNamespace()
            // An informer, not a bare watch: it re-lists when its watch is cut off (a slow
            // client, an expired resourceVersion), where a bare watch would go deaf for good.
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod pod) {
                    executor.execute(() -> handle(pod));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    executor.execute(() -> handle(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {}
                });
  }

  /** Looks at every pod that exists again, on the feed's thread. */
  public void resync() {
    executor.execute(() -> client.pods().inAnyNamespace().list().getItems().forEach(this::handle));
  }

  private void handle(Pod pod) {
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
    onPod.accept(pod);
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdownNow();
  }
}
