package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Predicate;

/**
 * Stands in for the kubelet, which does not exist yet: every new pod that {@code admit} accepts is
 * reported Running and Ready through the status subresource, as a kubelet would once its containers
 * started.
 */
public final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private volatile Predicate<Pod> admit;
  private final PodFeed pods;

  public FakeKubelet(KubernetesClient client, Predicate<Pod> admit) {
    this.client = client;
    this.admit = admit;
    this.pods = new PodFeed(client, this::maybeStart);
  }

  public FakeKubelet(KubernetesClient client) {
    this(client, pod -> true);
  }

  /** Changes which pods become ready from now on; pods already seen are looked at again. */
  public void admit(Predicate<Pod> admit) {
    this.admit = admit;
    pods.resync();
  }

  private void maybeStart(Pod pod) {
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
      PodFeed.failed(pod, e);
    }
  }

  @Override
  public void close() {
    pods.close();
  }
}
