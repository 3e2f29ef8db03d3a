package dev.skiff.controllers.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.garbagecollector.GarbageCollector;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl delete deployment --cascade=orphan|background|foreground} on the real API server
 * with the garbage collector, ReplicaSet and Deployment controllers running: what is left is what
 * upstream leaves.
 */
class DeploymentDeletionTest extends DeploymentHarness {
  private static final Set<String> VERBS = Set.of("list", "watch", "delete", "get", "update");
  private static final String HOLD = "skiff.dev/test-hold";
  private static final List<ApiResource> RESOURCES =
      List.of(
          new ApiResource("apps", "v1", "deployments", "Deployment", true, VERBS),
          new ApiResource("apps", "v1", "replicasets", "ReplicaSet", true, VERBS),
          new ApiResource("", "v1", "pods", "Pod", true, VERBS));

  DeploymentDeletionTest() {
    super(context -> new GarbageCollector(context, RESOURCES));
  }

  private List<Pod> pods(String app) {
    return client.pods().inNamespace("default").withLabel("app", app).list().getItems();
  }

  /** A Deployment of three ready pods, with its ReplicaSet and pods all owned in a chain. */
  private Deployment readyDeployment(String name) {
    client.resource(deployment(name, 3, "app:v1").build()).create();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var status = get(name).getStatus();
              return status != null
                  && Integer.valueOf(3).equals(status.getAvailableReplicas())
                  && pods(name).size() == 3;
            });
    return get(name);
  }

  private void delete(String name, DeletionPropagation propagation) {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .withName(name)
        .withPropagationPolicy(propagation)
        .delete();
  }

  @Test
  void orphanKeepsReplicaSetsAndPodsAndRemovesTheirReferenceToTheDeployment() {
    readyDeployment("orphan");
    ReplicaSet rs = replicaSets("orphan").getFirst();

    delete("orphan", DeletionPropagation.ORPHAN);

    await().atMost(WAIT).until(() -> get("orphan") == null);
    await()
        .atMost(WAIT)
        .until(
            () ->
                replicaSets("orphan").size() == 1
                    && replicaSets("orphan")
                        .getFirst()
                        .getMetadata()
                        .getOwnerReferences()
                        .isEmpty());
    ReplicaSet left = replicaSets("orphan").getFirst();
    assertEquals(rs.getMetadata().getUid(), left.getMetadata().getUid());
    assertEquals(null, left.getMetadata().getDeletionTimestamp());
    List<Pod> pods = pods("orphan");
    assertEquals(3, pods.size());
    for (Pod pod : pods) {
      assertEquals(null, pod.getMetadata().getDeletionTimestamp());
      assertTrue(OwnerReferences.isControlledBy(pod, left), "pods stay with their ReplicaSet");
    }
  }

  @Test
  void backgroundDeletesTheDeploymentAtOnceAndThenEverythingItOwned() {
    readyDeployment("bg");

    delete("bg", DeletionPropagation.BACKGROUND);

    await().atMost(WAIT).until(() -> get("bg") == null);
    await().atMost(WAIT).until(() -> replicaSets("bg").isEmpty() && pods("bg").isEmpty());
  }

  @Test
  void foregroundKeepsTheDeploymentUntilItsDependentsAreGone() {
    readyDeployment("fg");
    // A finalizer on one pod holds its deletion, as a slow-terminating pod would.
    Pod held = pods("fg").getFirst();
    editPod(
        held.getMetadata().getName(),
        p -> new PodBuilder(p).editMetadata().addToFinalizers(HOLD).endMetadata().build());

    delete("fg", DeletionPropagation.FOREGROUND);

    await()
        .atMost(WAIT)
        .until(
            () ->
                pods("fg").size() == 1
                    && pods("fg").getFirst().getMetadata().getDeletionTimestamp() != null);
    Deployment waiting = get("fg");
    assertNotNull(waiting, "the owner stays while a dependent remains");
    assertNotNull(waiting.getMetadata().getDeletionTimestamp());
    assertTrue(waiting.getMetadata().getFinalizers().contains("foregroundDeletion"));
    assertEquals(1, replicaSets("fg").size(), "the ReplicaSet waits for its pod too");
    assertNotNull(replicaSets("fg").getFirst().getMetadata().getDeletionTimestamp());
    assertEquals(
        0,
        client.pods().inNamespace("default").withLabel("app", "fg").list().getItems().stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .count(),
        "no replacement pod is created while the ReplicaSet is being deleted");

    editPod(
        held.getMetadata().getName(),
        p -> new PodBuilder(p).editMetadata().removeFromFinalizers(HOLD).endMetadata().build());

    await()
        .atMost(WAIT)
        .until(() -> get("fg") == null && replicaSets("fg").isEmpty() && pods("fg").isEmpty());
  }

  /** Edits a pod that others (kubelet, collector) may change meanwhile: a 409 reads it again. */
  private void editPod(String name, UnaryOperator<Pod> change) {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              try {
                client.pods().inNamespace("default").withName(name).edit(change);
                return true;
              } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                  throw e;
                }
                return false;
              }
            });
  }
}
