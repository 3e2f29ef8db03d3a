package dev.skiff.controllers.podautoscaler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The autoscaler against a real API server and ReplicaSet controller, with pod usage from a fake
 * metrics source that every pod reports at the same millicores.
 */
class HorizontalControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private TestCluster cluster;
  private KubernetesClient client;
  private final AtomicLong perPodMillis = new AtomicLong();
  private volatile boolean metricsDown;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.add(new FakeKubelet(client));
    MetricsSource fake =
        (ns, selector, resource) -> {
          if (metricsDown) {
            throw new MetricsSource.MetricsUnavailable(
                "unable to get metrics for resource cpu: no metrics returned from resource"
                    + " metrics API");
          }
          Map<String, PodMetric> out = new HashMap<>();
          for (Pod p : client.pods().inNamespace(ns).withLabel("app", "web").list().getItems()) {
            out.put(
                p.getMetadata().getName(),
                new PodMetric(perPodMillis.get(), Instant.now(), Duration.ZERO));
          }
          return out;
        };
    cluster.start(
        ReplicaSetController::forReplicaSets,
        c -> new HorizontalController(c, fake, Duration.ofMillis(300), Duration.ofSeconds(1)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void replicaSet(int replicas) {
    ReplicaSet rs =
        new ReplicaSetBuilder()
            .withNewMetadata()
            .withName("web")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withReplicas(replicas)
            .withNewSelector()
            .addToMatchLabels("app", "web")
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .addToLabels("app", "web")
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("app")
            .withImage("busybox")
            .withNewResources()
            .addToRequests("cpu", new Quantity("200m"))
            .endResources()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(rs).create();
  }

  private void autoscaler(int min, int max) {
    client
        .resource(
            new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("web")
                .endScaleTargetRef()
                .withMinReplicas(min)
                .withMaxReplicas(max)
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(50)
                .endTarget()
                .endResource()
                .endMetric()
                .withNewBehavior()
                .withNewScaleDown()
                .withStabilizationWindowSeconds(1)
                .endScaleDown()
                .endBehavior()
                .endSpec()
                .build())
        .create();
  }

  private int replicas() {
    return client
        .apps()
        .replicaSets()
        .inNamespace("default")
        .withName("web")
        .get()
        .getSpec()
        .getReplicas();
  }

  private HorizontalPodAutoscaler hpa() {
    return client
        .resources(HorizontalPodAutoscaler.class)
        .inNamespace("default")
        .withName("web")
        .get();
  }

  private HorizontalPodAutoscalerCondition condition(String type) {
    return hpa().getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .findFirst()
        .orElseThrow();
  }

  /** The sizes the autoscaler set, from its SuccessfulRescale events, smallest first. */
  private List<Integer> rescaledTo() {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "SuccessfulRescale".equals(e.getReason()))
        .map(e -> Integer.valueOf(e.getMessage().replaceFirst("^New size: (\\d+);.*", "$1")))
        .distinct()
        .sorted()
        .toList();
  }

  @Test
  void scalesOutUnderLoadAndBackInWhenIdle() {
    replicaSet(1);
    perPodMillis.set(200); // 100% of the 200m request against a 50% target
    autoscaler(1, 5);
    await().atMost(WAIT).until(() -> replicas() == 5);
    // Each step doubled while usage stayed at 100%, until maxReplicas held it. A step lasts one
    // sync period, too short to sample reliably on a loaded machine, so the events tell them.
    await().atMost(WAIT).until(() -> rescaledTo().equals(List.of(2, 4, 5)));
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> "TooManyReplicas".equals(condition("ScalingLimited").getReason()));
    HorizontalPodAutoscaler scaled = hpa();
    assertEquals(
        100,
        scaled
            .getStatus()
            .getCurrentMetrics()
            .getFirst()
            .getResource()
            .getCurrent()
            .getAverageUtilization());
    assertEquals(
        "200m",
        scaled
            .getStatus()
            .getCurrentMetrics()
            .getFirst()
            .getResource()
            .getCurrent()
            .getAverageValue()
            .toString());
    assertTrue(scaled.getStatus().getLastScaleTime() != null);
    var v1 =
        client
            .autoscaling()
            .v1()
            .horizontalPodAutoscalers()
            .inNamespace("default")
            .withName("web")
            .get();
    assertEquals(100, v1.getStatus().getCurrentCPUUtilizationPercentage());
    assertEquals(50, v1.getSpec().getTargetCPUUtilizationPercentage());
    assertEquals("True", condition("ScalingActive").getStatus());
    assertEquals("ValidMetricFound", condition("ScalingActive").getReason());

    perPodMillis.set(0);
    await().atMost(WAIT).until(() -> replicas() == 1);
    await().atMost(WAIT).until(() -> hpa().getStatus().getDesiredReplicas() == 1);
  }

  @Test
  void withinToleranceNothingMoves() {
    replicaSet(2);
    perPodMillis.set(105); // 52%: within 10% of the 50% target
    autoscaler(1, 5);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                "ValidMetricFound".equals(condition("ScalingActive").getReason())
                    && hpa().getStatus().getCurrentMetrics().size() == 1);
    // The sync that found the metric decided the scale in the same pass.
    assertEquals(2, replicas());
    assertEquals(2, hpa().getStatus().getDesiredReplicas());
  }

  @Test
  void missingMetricsDeactivateScalingWithUpstreamsMessage() {
    replicaSet(2);
    metricsDown = true;
    autoscaler(1, 5);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(() -> "FailedGetResourceMetric".equals(condition("ScalingActive").getReason()));
    assertEquals(
        "the HPA was unable to compute the replica count: failed to get cpu utilization: unable"
            + " to get metrics for resource cpu: no metrics returned from resource metrics API",
        condition("ScalingActive").getMessage());
    assertEquals("SucceededGetScale", condition("AbleToScale").getReason());
    assertEquals(2, replicas());
  }

  @Test
  void replicasOutsideTheBoundsAreBroughtInWithoutMetrics() {
    replicaSet(7);
    metricsDown = true;
    autoscaler(1, 3);
    await().atMost(WAIT).until(() -> replicas() == 3);
  }
}
