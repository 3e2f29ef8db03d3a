package dev.skiff.controllers.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Deployment's first rollout and its progress conditions. */
class DeploymentControllerTest extends DeploymentHarness {
  @Test
  void createsAReplicaSetNamedByTemplateHashAndRollsOut() {
    client.resource(deployment("web", 3, "nginx:1.26").build()).create();
    await().atMost(WAIT).until(() -> rolledOut("web"));

    List<ReplicaSet> rss = replicaSets("web");
    assertEquals(1, rss.size());
    ReplicaSet rs = rss.getFirst();
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertEquals("web-" + hash, rs.getMetadata().getName());
    assertTrue(hash.matches("[bcdfghjklmnpqrstvwxz2456789]+"), hash);
    assertEquals(hash, rs.getSpec().getSelector().getMatchLabels().get("pod-template-hash"));
    assertEquals("1", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    assertEquals(
        "3", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/desired-replicas"));
    assertEquals(
        "4", rs.getMetadata().getAnnotations().get("deployment.kubernetes.io/max-replicas"));
    assertEquals(
        "1", get("web").getMetadata().getAnnotations().get("deployment.kubernetes.io/revision"));
    assertEquals("MinimumReplicasAvailable", condition(get("web"), "Available"));
    for (Pod pod : client.pods().inNamespace("default").withLabel("app", "web").list().getItems()) {
      assertTrue(pod.getMetadata().getName().startsWith(rs.getMetadata().getName() + "-"));
    }
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.v1().events().inNamespace("default").list().getItems().stream()
                    .anyMatch(
                        e ->
                            "ScalingReplicaSet".equals(e.getReason())
                                && e.getMessage()
                                    .equals(
                                        "Scaled up replica set "
                                            + rs.getMetadata().getName()
                                            + " from 0 to 3")));
  }

  @Test
  void aRolloutThatCannotProgressExceedsItsDeadline() {
    cluster
        .kubelet()
        .admit(pod -> !pod.getSpec().getContainers().getFirst().getImage().equals("app:broken"));
    client
        .resource(
            deployment("stuck", 2, "app:v1")
                .editSpec()
                .withProgressDeadlineSeconds(2)
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("stuck"));
    setImage("stuck", "app:broken");
    await()
        .atMost(WAIT)
        .until(() -> "ProgressDeadlineExceeded".equals(condition(get("stuck"), "Progressing")));
    DeploymentCondition progressing =
        get("stuck").getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Progressing"))
            .findFirst()
            .orElseThrow();
    assertEquals("False", progressing.getStatus());
    String newRS = replicaSetWithImage("stuck", "app:broken").getMetadata().getName();
    assertEquals(
        "ReplicaSet \"" + newRS + "\" has timed out progressing.", progressing.getMessage());
  }
}
