package dev.skiff.controllers.replicaset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplicaSetControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.start(
        ReplicaSetController::forReplicaSets, ReplicaSetController::forReplicationControllers);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  static ReplicaSet replicaSet(String name, int replicas) {
    return new ReplicaSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of("app", name))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(Map.of("app", name, "tier", "web"))
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("nginx")
        .withImage("nginx:1.27")
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  private List<Pod> podsOf(String app) {
    return client.pods().inNamespace("default").withLabel("app", app).list().getItems();
  }

  private ReplicaSet rs(String name) {
    return client.apps().replicaSets().inNamespace("default").withName(name).get();
  }

  @Test
  void createsPodsOwnedByTheReplicaSetAndReportsThemReady() {
    cluster.add(new FakeKubelet(client));
    ReplicaSet created = client.resource(replicaSet("web", 3)).create();

    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("web").size() == 3);
    for (Pod pod : podsOf("web")) {
      assertTrue(pod.getMetadata().getName().startsWith("web-"), pod.getMetadata().getName());
      assertEquals("web-", pod.getMetadata().getGenerateName());
      var ref = OwnerReferences.controllerOf(pod).orElseThrow();
      assertEquals("ReplicaSet", ref.getKind());
      assertEquals(created.getMetadata().getUid(), ref.getUid());
      assertEquals(Boolean.TRUE, ref.getBlockOwnerDeletion());
      assertEquals("web", pod.getMetadata().getLabels().get("tier"));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              var status = rs("web").getStatus();
              return status != null
                  && Integer.valueOf(3).equals(status.getReplicas())
                  && Integer.valueOf(3).equals(status.getReadyReplicas())
                  && Integer.valueOf(3).equals(status.getAvailableReplicas())
                  && Integer.valueOf(3).equals(status.getFullyLabeledReplicas());
            });
    assertEquals(
        rs("web").getMetadata().getGeneration(), rs("web").getStatus().getObservedGeneration());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.v1().events().inNamespace("default").list().getItems().stream()
                        .filter(e -> "SuccessfulCreate".equals(e.getReason()))
                        .map(Event::getMessage)
                        .filter(m -> m.startsWith("Created pod: web-"))
                        .count()
                    == 3);
  }

  @Test
  void replacesADeletedPodAndScalesDownToTheRequestedCount() {
    client.resource(replicaSet("api", 4)).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("api").size() == 4);

    Pod victim = podsOf("api").getFirst();
    client.pods().inNamespace("default").withName(victim.getMetadata().getName()).delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                podsOf("api").size() == 4
                    && podsOf("api").stream()
                        .noneMatch(
                            p -> p.getMetadata().getName().equals(victim.getMetadata().getName())));

    client.apps().replicaSets().inNamespace("default").withName("api").scale(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("api").size() == 1);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Integer.valueOf(1).equals(rs("api").getStatus().getReplicas()));
  }

  @Test
  void scalingDownDeletesPodsThatAreNotReadyFirst() {
    FakeKubelet kubelet = cluster.add(new FakeKubelet(client, pod -> false));
    client.resource(replicaSet("db", 2)).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("db").size() == 2);
    String readyOne = podsOf("db").getFirst().getMetadata().getName();
    kubelet.admit(pod -> pod.getMetadata().getName().equals(readyOne));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Integer.valueOf(1).equals(rs("db").getStatus().getReadyReplicas()));

    client.apps().replicaSets().inNamespace("default").withName("db").scale(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("db").size() == 1);
    assertEquals(readyOne, podsOf("db").getFirst().getMetadata().getName());
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatStopMatching() {
    Pod orphan =
        client
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("stray")
                    .withNamespace("default")
                    .withLabels(Map.of("app", "cache"))
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("c")
                    .withImage("redis")
                    .endContainer()
                    .endSpec()
                    .build())
            .create();
    ReplicaSet created = client.resource(replicaSet("cache", 1)).create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                OwnerReferences.controllerOf(
                        client.pods().inNamespace("default").withName("stray").get())
                    .map(r -> r.getUid().equals(created.getMetadata().getUid()))
                    .orElse(false));
    assertEquals(1, podsOf("cache").size(), "the adopted pod counts; no pod is created");
    assertEquals(orphan.getMetadata().getUid(), podsOf("cache").getFirst().getMetadata().getUid());

    client
        .pods()
        .inNamespace("default")
        .withName("stray")
        .edit(
            p ->
                new PodBuilder(p)
                    .editMetadata()
                    .withLabels(Map.of("app", "other"))
                    .endMetadata()
                    .build());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client
                        .pods()
                        .inNamespace("default")
                        .withName("stray")
                        .get()
                        .getMetadata()
                        .getOwnerReferences()
                        .isEmpty()
                    && podsOf("cache").size() == 1);
  }

  @Test
  void replicationControllersKeepTheirPodsToo() {
    ReplicationController rc =
        new ReplicationControllerBuilder()
            .withNewMetadata()
            .withName("legacy")
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withReplicas(2)
            .withSelector(Map.of("app", "legacy"))
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(Map.of("app", "legacy"))
            .endMetadata()
            .withNewSpec()
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.resource(rc).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> podsOf("legacy").size() == 2);
    assertEquals(
        "ReplicationController",
        OwnerReferences.controllerOf(podsOf("legacy").getFirst()).orElseThrow().getKind());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                Integer.valueOf(2)
                    .equals(
                        client
                            .replicationControllers()
                            .inNamespace("default")
                            .withName("legacy")
                            .get()
                            .getStatus()
                            .getReplicas()));
  }
}
