package dev.skiff.controllers.testing;

import dev.skiff.api.informers.RelistingInformer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every stand-in kubelet of the controller tests does with pods: sees each added or updated
 * pod on one thread, confirms graceful deletions as the kubelet does once containers stop, and
 * hands every other pod to {@code onPod}. Like a kubelet's sync loop it also looks at every pod
 * again every {@link #RESYNC_SECONDS} seconds, so a missed event or a failed write is made good.
 */
public final class PodFeed implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PodFeed.class);
  private static final long RESYNC_SECONDS = 2;

  private final KubernetesClient client;
  private final Consumer<Pod> onPod;
  private final SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

  public PodFeed(KubernetesClient client, Consumer<Pod> onPod) {
    this.client = client;
    this.onPod = onPod;
    // An informer, not a bare watch: it re-lists when its watch is cut off or fails (a slow
    // client, an expired resourceVersion), where a bare watch would go deaf for good.
    this.informer = RelistingInformer.of(client.pods().inAnyNamespace());
    informer.addEventHandler(
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
    informer.run();
    executor.scheduleWithFixedDelay(
        this::syncAll, RESYNC_SECONDS, RESYNC_SECONDS, TimeUnit.SECONDS);
  }

  /** Looks at every pod that exists again, on the feed's thread. */
  public void resync() {
    executor.execute(this::syncAll);
  }

  /**
   * Notes a write about {@code pod} that failed; the next resync tries again. A pod that is gone or
   * changed meanwhile (404, 409) is routine: the watch tells what it is now.
   */
  public static void failed(Pod pod, KubernetesClientException error) {
    if (error.getCode() != 404 && error.getCode() != 409) {
      LOG.info(
          "stand-in kubelet: pod {}/{}: write failed, the next resync tries again: {}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(),
          error.getMessage());
    }
  }

  private void syncAll() {
    try {
      client.pods().inAnyNamespace().list().getItems().forEach(this::handle);
    } catch (RuntimeException e) {
      // The API server is going away with the test, or is slow: the next resync tries again.
      LOG.debug("stand-in kubelet: resync failed: {}", e.toString());
    }
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
        failed(pod, e);
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
