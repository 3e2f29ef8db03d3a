package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * Stands in for the kubelet, which does not exist yet: every new pod that {@code admit} accepts is
 * reported Running and Ready through the status subresource, as a kubelet would once its containers
 * started.
 */
public final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;
  private final ExecutorService executor = Executors.newSingleThreadExecutor();
  private volatile Predicate<Pod> admit;

  public FakeKubelet(KubernetesClient client, Predicate<Pod> admit) {
    this.client = client;
    this.admit = admit;
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
                    executor.execute(() -> maybeStart(pod));
                  }

                  @Override
                  public void onUpdate(Pod old, Pod pod) {
                    executor.execute(() -> maybeStart(pod));
                  }

                  @Override
                  public void onDelete(Pod pod, boolean unknownFinalState) {}
                });
  }

  public FakeKubelet(KubernetesClient client) {
    this(client, pod -> true);
  }

  /** Changes which pods become ready from now on; pods already seen are looked at again. */
  public void admit(Predicate<Pod> admit) {
    this.admit = admit;
    executor.execute(
        () -> client.pods().inAnyNamespace().list().getItems().forEach(this::maybeStart));
  }

  private void maybeStart(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      // Containers stopped: confirm the graceful deletion, as the kubelet does.
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
    if ("Running".equals(pod.getStatus() == null ? null : pod.getStatus().getPhase())
        || !admit.test(pod)) {
      return;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    Pod running =
        new PodBuilder(pod)
            .editOrNewStatus()
            .withPhase("Running")
            .withStartTime(now)
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus("True")
                    .withLastTransitionTime(now)
                    .build())
            .withContainerStatuses(
                pod.getSpec().getContainers().stream()
                    .map(
                        c ->
                            new ContainerStatusBuilder()
                                .withName(c.getName())
                                .withImage(c.getImage())
                                .withReady(true)
                                .withRestartCount(0)
                                .build())
                    .toList())
            .endStatus()
            .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(running).updateStatus();
    } catch (KubernetesClientException e) {
      // Deleted or changed meanwhile; the watch brings the newer version.
    }
  }

  @Override
  public void close() {
    informer.close();
    executor.shutdownNow();
  }
}
