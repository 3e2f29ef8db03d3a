package dev.skiff.controllers.disruption;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A budget whose first status write fails still gets its status: evictions read {@code
 * disruptionsAllowed}, so a budget left without status blocks every eviction of its pods.
 */
class FailedStatusWriteTest {
  private TestCluster cluster;
  private KubernetesClient controllerClient;
  private Informers informers;
  private DisruptionController controller;
  private final AtomicInteger spoiled = new AtomicInteger();

  /**
   * Makes the API server refuse the controller's first status write: 400 for a dryRun value it does
   * not know, an error the client does not retry.
   */
  private final class SpoilFirstStatusWrite implements Interceptor {
    @Override
    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
      if ("PUT".equals(request.method())
          && request.uri().getPath().endsWith("/status")
          && spoiled.getAndIncrement() == 0) {
        String separator = request.uri().getQuery() == null ? "?" : "&";
        builder.uri(URI.create(request.uri() + separator + "dryRun=Sometimes"));
      }
    }
  }

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    controllerClient =
        new KubernetesClientBuilder()
            .withConfig(cluster.client().getConfiguration())
            .withHttpClientBuilderConsumer(
                b -> b.addOrReplaceInterceptor("spoil", new SpoilFirstStatusWrite()))
            .build();
    informers = new Informers(controllerClient);
    controller =
        new DisruptionController(
            new ControllerContext(controllerClient, informers, Clock.systemUTC()));
    informers.start(Duration.ofSeconds(10));
    controller.start(1);
  }

  @AfterEach
  void stop() {
    controller.close();
    informers.close();
    controllerClient.close();
    cluster.close();
  }

  @Test
  void theBudgetGetsItsStatusWhenTheFirstWriteIsRefused() {
    KubernetesClient client = cluster.client();
    // It selects no pods, so nothing but the controller's own retry can bring its status.
    client.resource(DisruptionBudgets.minAvailable("web", 1)).create();

    var budget = client.policy().v1().podDisruptionBudget().inNamespace("default").withName("web");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                budget.get().getStatus() != null
                    && !budget.get().getStatus().getConditions().isEmpty());
    PodDisruptionBudgetStatus status = budget.get().getStatus();
    assertEquals(0, status.getDisruptionsAllowed());
    assertEquals(1, status.getDesiredHealthy());
    assertEquals("InsufficientPods", status.getConditions().getFirst().getReason());
    assertTrue(spoiled.get() > 1, "the first write was refused and another followed");
  }
}
