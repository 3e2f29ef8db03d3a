package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for the scheduler in controller tests: every unbound pod is bound, through
 * pods/binding, to the first node by name that is neither cordoned nor tainted NoSchedule.
 */
public final class StandInScheduler implements AutoCloseable {
  private final KubernetesClient client;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

  public StandInScheduler(KubernetesClient client) {
    this.client = client;
    loop.scheduleWithFixedDelay(this::bindPendingPods, 0, 200, TimeUnit.MILLISECONDS);
  }

  private static boolean schedulable(Node n) {
    if (Boolean.TRUE.equals(n.getSpec().getUnschedulable())) {
      return false;
    }
    return n.getSpec().getTaints() == null
        || n.getSpec().getTaints().stream().noneMatch(t -> "NoSchedule".equals(t.getEffect()));
  }

  private void bindPendingPods() {
    try {
      String target =
          client.nodes().list().getItems().stream()
              .filter(StandInScheduler::schedulable)
              .map(n -> n.getMetadata().getName())
              .sorted()
              .findFirst()
              .orElse(null);
      if (target == null) {
        return;
      }
      for (Pod p : client.pods().inAnyNamespace().list().getItems()) {
        if (p.getSpec().getNodeName() == null && p.getMetadata().getDeletionTimestamp() == null) {
          bind(p, target);
        }
      }
    } catch (KubernetesClientException | IOException e) {
      // Raced with a delete, or the server is closing; the next round looks again.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void bind(Pod p, String node) throws IOException, InterruptedException {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    String body =
        "{\"metadata\":{\"name\":\"%s\"},\"target\":{\"kind\":\"Node\",\"name\":\"%s\"}}"
            .formatted(name, node);
    http.send(
        HttpRequest.newBuilder(
                URI.create(
                    client.getMasterUrl()
                        + "api/v1/namespaces/"
                        + ns
                        + "/pods/"
                        + name
                        + "/binding"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
