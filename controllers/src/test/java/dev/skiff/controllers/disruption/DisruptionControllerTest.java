package dev.skiff.controllers.disruption;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.testing.AppWorkload;
import dev.skiff.controllers.testing.RunningControllers;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DisruptionControllerTest {
  @RegisterExtension
  final RunningControllers cluster = RunningControllers.of(DisruptionController::new);

  private KubernetesClient client;

  @BeforeEach
  void start() {
    client = cluster.client();
  }

  private ReplicaSet replicaSet(String name, int replicas) {
    return client.resource(AppWorkload.replicaSet(name, replicas)).create();
  }

  private Pod pod(String name, String app, ReplicaSet owner, boolean ready) {
    var builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .withLabels(Map.of("app", app))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("nginx")
            .endContainer()
            .endSpec();
    if (owner != null) {
      builder
          .editMetadata()
          .withOwnerReferences(OwnerReferences.controllerRef(owner, "apps/v1", "ReplicaSet"))
          .endMetadata();
    }
    Pod pod = client.resource(builder.build()).create();
    return setReady(pod, ready);
  }

  private Pod setReady(Pod pod, boolean ready) {
    pod.setStatus(
        new PodStatusBuilder()
            .withPhase("Running")
            .withConditions(
                new PodConditionBuilder()
                    .withType("Ready")
                    .withStatus(ready ? "True" : "False")
                    .build())
            .build());
    return client.pods().inNamespace("default").resource(pod).updateStatus();
  }

  private void budget(String name, String app, IntOrString min, IntOrString max) {
    client
        .resource(
            new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withMinAvailable(min)
                .withMaxUnavailable(max)
                .withNewSelector()
                .addToMatchLabels("app", app)
                .endSelector()
                .endSpec()
                .build())
        .create();
  }

  private PodDisruptionBudgetStatus status(String name) {
    PodDisruptionBudget pdb =
        client.policy().v1().podDisruptionBudget().inNamespace("default").withName(name).get();
    return pdb.getStatus();
  }

  /** [currentHealthy, desiredHealthy, expectedPods, disruptionsAllowed]. */
  private List<Integer> counts(String name) {
    PodDisruptionBudgetStatus s = status(name);
    if (s == null || s.getCurrentHealthy() == null) {
      return List.of();
    }
    return List.of(
        s.getCurrentHealthy(),
        s.getDesiredHealthy(),
        s.getExpectedPods(),
        s.getDisruptionsAllowed());
  }

  @Test
  void minAvailableCountsPodsAndMaxUnavailableCountsTheControllersScale() {
    ReplicaSet rs = replicaSet("web", 3);
    pod("web-1", "web", rs, true);
    pod("web-2", "web", rs, true);
    Pod third = pod("web-3", "web", rs, false);
    budget("at-least-one", "web", new IntOrString(1), null);
    budget("one-down", "web", null, new IntOrString(1));
    budget("half", "web", new IntOrString("50%"), null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> counts("at-least-one").equals(List.of(2, 1, 3, 1)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> counts("one-down").equals(List.of(2, 2, 3, 0)));
    await().atMost(Duration.ofSeconds(30)).until(() -> counts("half").equals(List.of(2, 2, 3, 0)));
    var condition = status("one-down").getConditions().getFirst();
    assertEquals("DisruptionAllowed", condition.getType());
    assertEquals("False", condition.getStatus());
    assertEquals("InsufficientPods", condition.getReason());

    setReady(third, true);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> counts("one-down").equals(List.of(3, 2, 3, 1)));
    assertEquals("SufficientPods", status("one-down").getConditions().getFirst().getReason());
  }

  @Test
  void maxUnavailableOverPodsWithoutControllerCannotBeComputed() {
    pod("lonely", "solo", null, true);
    budget("solo", "solo", null, new IntOrString(1));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                status("solo") != null
                    && !status("solo").getConditions().isEmpty()
                    && "SyncFailed".equals(status("solo").getConditions().getFirst().getReason()));
    assertEquals(0, status("solo").getDisruptionsAllowed());
  }
}
