package dev.skiff.controllers.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.api.Test;

/** Scaling a Deployment mid-rollout and while paused, as {@code kubectl scale} does. */
class DeploymentScalingTest extends DeploymentHarness {
  @Test
  void scalingMidRolloutSpreadsNewReplicasInProportion() {
    cluster
        .kubelet()
        .admit(pod -> !pod.getSpec().getContainers().getFirst().getImage().equals("app:missing"));
    client
        .resource(
            deployment("prop", 10, "app:v1")
                .editSpec()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(3))
                .withMaxUnavailable(new IntOrString(2))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("prop"));
    setImage("prop", "app:missing");
    await()
        .atMost(WAIT)
        .until(
            () ->
                replicaSetWithImage("prop", "app:missing") != null
                    && Integer.valueOf(5)
                        .equals(replicaSetWithImage("prop", "app:missing").getSpec().getReplicas())
                    && Integer.valueOf(8)
                        .equals(replicaSetWithImage("prop", "app:v1").getSpec().getReplicas()));

    client.apps().deployments().inNamespace("default").withName("prop").scale(15);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(7)
                        .equals(replicaSetWithImage("prop", "app:missing").getSpec().getReplicas())
                    && Integer.valueOf(11)
                        .equals(replicaSetWithImage("prop", "app:v1").getSpec().getReplicas()));
  }

  @Test
  void aPausedDeploymentDoesNotRollOutUntilResumed() {
    client.resource(deployment("p", 2, "app:v1").build()).create();
    await().atMost(WAIT).until(() -> rolledOut("p"));
    pause("p", true);
    await().atMost(WAIT).until(() -> "DeploymentPaused".equals(condition(get("p"), "Progressing")));
    setImage("p", "app:v2");
    client.apps().deployments().inNamespace("default").withName("p").scale(3);
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(3)
                    .equals(replicaSetWithImage("p", "app:v1").getSpec().getReplicas()));
    assertEquals(1, replicaSets("p").size(), "no rollout while paused, but scaling applies");

    pause("p", false);
    await()
        .atMost(WAIT)
        .until(
            () ->
                rolledOut("p")
                    && replicaSetWithImage("p", "app:v2") != null
                    && Integer.valueOf(3)
                        .equals(
                            replicaSetWithImage("p", "app:v2").getStatus().getAvailableReplicas()));
  }
}
