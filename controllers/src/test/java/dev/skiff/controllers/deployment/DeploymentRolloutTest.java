package dev.skiff.controllers.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.PodReadiness;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rolling out a new template: the RollingUpdate and Recreate strategies, undo, and history. */
class DeploymentRolloutTest extends DeploymentHarness {
  @Test
  void aRollingUpdateWithMaxUnavailableZeroNeverHasFewerThanTenReadyPods() {
    client
        .resource(
            deployment("roll", 10, "app:v1")
                .editSpec()
                .withNewStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxUnavailable(new IntOrString(0))
                .withMaxSurge(new IntOrString(2))
                .endRollingUpdate()
                .endStrategy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("roll"));

    try (PodReadiness readiness = new PodReadiness(client, "roll")) {
      assertEquals(10, readiness.fewestReady());
      setImage("roll", "app:v2");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  rolledOut("roll")
                      && client
                          .pods()
                          .inNamespace("default")
                          .withLabel("app", "roll")
                          .list()
                          .getItems()
                          .stream()
                          .allMatch(
                              p ->
                                  p.getSpec()
                                      .getContainers()
                                      .getFirst()
                                      .getImage()
                                      .equals("app:v2")));
      assertTrue(readiness.fewestReady() >= 10, "ready pods fell to " + readiness.fewestReady());
    }
    assertEquals(0, replicaSetWithImage("roll", "app:v1").getSpec().getReplicas());
    assertEquals(
        "2",
        replicaSetWithImage("roll", "app:v2")
            .getMetadata()
            .getAnnotations()
            .get("deployment.kubernetes.io/revision"));
    assertEquals(
        "2", get("roll").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
  }

  @Test
  void recreateRemovesEveryOldPodBeforeCreatingNewOnes() {
    client
        .resource(
            deployment("re", 3, "app:v1")
                .editSpec()
                .withNewStrategy()
                .withType("Recreate")
                .endStrategy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("re"));
    AtomicInteger overlap = new AtomicInteger();
    Set<String> oldPods = ConcurrentHashMap.newKeySet();
    client
        .pods()
        .inNamespace("default")
        .withLabel("app", "re")
        .list()
        .getItems()
        .forEach(p -> oldPods.add(p.getMetadata().getName()));
    Watch watch =
        client
            .pods()
            .inNamespace("default")
            .withLabel("app", "re")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.DELETED) {
                      oldPods.remove(pod.getMetadata().getName());
                    } else if (action == Action.ADDED
                        && pod.getSpec().getContainers().getFirst().getImage().equals("app:v2")
                        && !oldPods.isEmpty()) {
                      overlap.incrementAndGet();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      setImage("re", "app:v2");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  rolledOut("re")
                      && replicaSetWithImage("re", "app:v2") != null
                      && Integer.valueOf(3)
                          .equals(
                              replicaSetWithImage("re", "app:v2").getStatus().getReadyReplicas()));
    } finally {
      watch.close();
    }
    assertEquals(0, overlap.get(), "a new pod was created while old ones still existed");
  }

  @Test
  void undoingARolloutReusesTheOldReplicaSetUnderANewRevision() {
    client.resource(deployment("undo", 2, "app:v1").build()).create();
    await().atMost(WAIT).until(() -> rolledOut("undo"));
    String first = replicaSets("undo").getFirst().getMetadata().getName();
    setImage("undo", "app:v2");
    await().atMost(WAIT).until(() -> rolledOut("undo") && replicaSets("undo").size() == 2);

    // kubectl 1.32's "rollout undo" writes the old template back into the Deployment.
    setImage("undo", "app:v1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                rolledOut("undo")
                    && "3"
                        .equals(
                            get("undo")
                                .getMetadata()
                                .getAnnotations()
                                .get("deployment.kubernetes.io/revision")));
    ReplicaSet reused = replicaSetWithImage("undo", "app:v1");
    assertEquals(first, reused.getMetadata().getName());
    assertEquals(
        "3", reused.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    assertEquals(
        "1",
        reused.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision-history"));
    assertEquals(2, reused.getSpec().getReplicas());
    assertEquals(0, replicaSetWithImage("undo", "app:v2").getSpec().getReplicas());
  }

  @Test
  void oldReplicaSetsBeyondTheHistoryLimitAreDeleted() {
    client
        .resource(
            deployment("hist", 1, "app:v1")
                .editSpec()
                .withRevisionHistoryLimit(1)
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("hist"));
    setImage("hist", "app:v2");
    await()
        .atMost(WAIT)
        .until(() -> rolledOut("hist") && replicaSetWithImage("hist", "app:v2") != null);
    setImage("hist", "app:v3");
    await().atMost(WAIT).until(() -> rolledOut("hist") && replicaSets("hist").size() == 2);
    assertFalse(
        replicaSets("hist").stream()
            .anyMatch(
                rs ->
                    rs.getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .getFirst()
                        .getImage()
                        .equals("app:v1")));
  }
}
