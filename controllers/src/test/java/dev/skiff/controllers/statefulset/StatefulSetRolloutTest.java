package dev.skiff.controllers.statefulset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.history.RevisionData;
import dev.skiff.controllers.testing.AppWorkload;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.PodReadiness;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * StatefulSet rollouts as {@code kubectl rollout status/history/undo} see them: ControllerRevisions
 * numbered per template, pods labelled with their revision, partitions, and status revisions.
 */
class StatefulSetRolloutTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private TestCluster cluster;
  private KubernetesClient client;
  private FakeKubelet kubelet;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    kubelet = cluster.add(new FakeKubelet(client));
    cluster.start(StatefulSetController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static StatefulSet set(String name, int replicas, String image) {
    return new StatefulSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withServiceName(name)
        .withPodManagementPolicy("Parallel")
        .withSelector(AppWorkload.selector(name))
        .withTemplate(AppWorkload.template(name, "app", image))
        .endSpec()
        .build();
  }

  private StatefulSet get(String name) {
    return client.apps().statefulSets().inNamespace("default").withName(name).get();
  }

  private List<ControllerRevision> revisions(String app) {
    return AppWorkload.revisions(client, app);
  }

  private static String image(Pod pod) {
    return pod == null ? null : pod.getSpec().getContainers().getFirst().getImage();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace("default").withName(name).get();
  }

  /** As kubectl: a strategic merge patch of the container image, no resourceVersion. */
  private void setImage(String name, String image) {
    client
        .apps()
        .statefulSets()
        .inNamespace("default")
        .withName(name)
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\""
                + image
                + "\"}]}}}}");
  }

  /** What {@code kubectl rollout status sts} waits for without a partition. */
  private boolean rolledOut(String name, int replicas) {
    StatefulSet set = get(name);
    var s = set.getStatus();
    return s != null
        && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= set.getMetadata().getGeneration()
        && Integer.valueOf(replicas).equals(s.getReadyReplicas())
        && Integer.valueOf(replicas).equals(s.getUpdatedReplicas())
        && s.getUpdateRevision() != null
        && s.getUpdateRevision().equals(s.getCurrentRevision());
  }

  @Test
  void eachTemplateIsARevisionAndPodsRollToTheNewOneFromTheTop() {
    client.resource(set("web", 3, "app:v1")).create();
    await().atMost(WAIT).until(() -> rolledOut("web", 3));
    List<ControllerRevision> first = revisions("web");
    assertEquals(1, first.size());
    ControllerRevision v1 = first.getFirst();
    assertEquals(1L, v1.getRevision());
    assertEquals(get("web").getStatus().getCurrentRevision(), v1.getMetadata().getName());
    String hash = v1.getMetadata().getLabels().get("controller.kubernetes.io/hash");
    assertEquals("web-" + hash, v1.getMetadata().getName());
    assertEquals(
        "app:v1", RevisionData.template(v1).getSpec().getContainers().getFirst().getImage());
    assertEquals(
        v1.getMetadata().getName(),
        pod("web-0").getMetadata().getLabels().get("controller-revision-hash"));

    setImage("web", "app:v2");
    await().atMost(WAIT).until(() -> rolledOut("web", 3) && revisions("web").size() == 2);
    ControllerRevision v2 = revisions("web").getLast();
    assertEquals(2L, v2.getRevision());
    assertNotEquals(v1.getMetadata().getName(), v2.getMetadata().getName());
    assertEquals(v2.getMetadata().getName(), get("web").getStatus().getCurrentRevision());
    for (String name : List.of("web-0", "web-1", "web-2")) {
      assertEquals("app:v2", image(pod(name)));
      assertEquals(
          v2.getMetadata().getName(),
          pod(name).getMetadata().getLabels().get("controller-revision-hash"));
    }

    // kubectl rollout undo patches revision 1's template back: that revision becomes number 3.
    setImage("web", "app:v1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                rolledOut("web", 3)
                    && revisions("web").size() == 2
                    && revisions("web").getLast().getRevision() == 3L);
    ControllerRevision v3 = revisions("web").getLast();
    assertEquals(v1.getMetadata().getName(), v3.getMetadata().getName());
    assertEquals("app:v1", image(pod("web-2")));
  }

  @Test
  void aPartitionKeepsLowerOrdinalsAtTheCurrentRevision() {
    StatefulSet set =
        new StatefulSetBuilder(set("part", 3, "app:v1"))
            .editSpec()
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withPartition(2)
            .endRollingUpdate()
            .endUpdateStrategy()
            .endSpec()
            .build();
    client.resource(set).create();
    await().atMost(WAIT).until(() -> rolledOut("part", 3));
    String v1 = get("part").getStatus().getCurrentRevision();

    setImage("part", "app:v2");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              var s = get("part").getStatus();
              return Integer.valueOf(1).equals(s.getUpdatedReplicas())
                  && Integer.valueOf(3).equals(s.getReadyReplicas())
                  && Integer.valueOf(2).equals(s.getCurrentReplicas());
            });
    var status = get("part").getStatus();
    assertEquals(v1, status.getCurrentRevision());
    assertNotEquals(v1, status.getUpdateRevision());
    assertEquals("app:v2", image(pod("part-2")));
    assertEquals("app:v1", image(pod("part-1")));
    assertEquals("app:v1", image(pod("part-0")));

    // A pod below the partition that is deleted comes back at the current revision.
    client.pods().inNamespace("default").withName("part-0").delete();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = pod("part-0");
              return p != null
                  && p.getMetadata().getDeletionTimestamp() == null
                  && v1.equals(p.getMetadata().getLabels().get("controller-revision-hash"));
            });
    assertEquals("app:v1", image(pod("part-0")));
  }

  @Test
  void onDeleteReplacesOnlyPodsThatAreDeleted() {
    StatefulSet set =
        new StatefulSetBuilder(set("od", 2, "app:v1"))
            .editSpec()
            .withNewUpdateStrategy()
            .withType("OnDelete")
            .endUpdateStrategy()
            .endSpec()
            .build();
    client.resource(set).create();
    await()
        .atMost(WAIT)
        .until(() -> Integer.valueOf(2).equals(get("od").getStatus().getReadyReplicas()));
    setImage("od", "app:v2");
    await()
        .atMost(WAIT)
        .until(
            () ->
                get("od").getStatus().getUpdateRevision() != null
                    && !get("od")
                        .getStatus()
                        .getUpdateRevision()
                        .equals(get("od").getStatus().getCurrentRevision()));
    assertEquals("app:v1", image(pod("od-1")));

    client.pods().inNamespace("default").withName("od-1").delete();
    await()
        .atMost(WAIT)
        .until(
            () -> {
              Pod p = pod("od-1");
              return p != null
                  && p.getMetadata().getDeletionTimestamp() == null
                  && "app:v2".equals(image(p));
            });
    assertEquals("app:v1", image(pod("od-0")));
    assertEquals(1, get("od").getStatus().getUpdatedReplicas());
  }

  @Test
  void revisionsBeyondTheHistoryLimitAreDeleted() {
    StatefulSet set =
        new StatefulSetBuilder(set("hist", 1, "app:v1"))
            .editSpec()
            .withRevisionHistoryLimit(1)
            .endSpec()
            .build();
    client.resource(set).create();
    await().atMost(WAIT).until(() -> rolledOut("hist", 1));
    for (String image : List.of("app:v2", "app:v3", "app:v4")) {
      setImage("hist", image);
      await()
          .atMost(WAIT)
          .until(
              () ->
                  rolledOut("hist", 1)
                      && image.equals(image(pod("hist-0")))
                      && get("hist").getStatus().getCurrentRevision() != null);
    }
    await().atMost(WAIT).until(() -> revisions("hist").size() == 2);
    List<Long> numbers = revisions("hist").stream().map(ControllerRevision::getRevision).toList();
    assertEquals(List.of(3L, 4L), numbers);
    assertTrue(
        revisions("hist").stream()
            .anyMatch(
                r ->
                    r.getMetadata()
                        .getName()
                        .equals(get("hist").getStatus().getCurrentRevision())));
  }

  @Test
  void maxUnavailableReplacesThatManyPodsAtOnceAndNoMore() {
    StatefulSet set =
        new StatefulSetBuilder(set("mu", 4, "app:v1"))
            .editSpec()
            .withNewUpdateStrategy()
            .withType("RollingUpdate")
            .withNewRollingUpdate()
            .withMaxUnavailable(new IntOrString(2))
            .endRollingUpdate()
            .endUpdateStrategy()
            .endSpec()
            .build();
    client.resource(set).create();
    await().atMost(WAIT).until(() -> rolledOut("mu", 4));
    // New pods stay unready for now, so every replaced pod counts as unavailable.
    kubelet.admit(pod -> !"app:v2".equals(image(pod)));
    try (PodReadiness readiness = new PodReadiness(client, "mu")) {
      setImage("mu", "app:v2");
      await()
          .atMost(WAIT)
          .until(
              () ->
                  "app:v2".equals(image(pod("mu-3")))
                      && "app:v2".equals(image(pod("mu-2")))
                      && Integer.valueOf(2).equals(get("mu").getStatus().getUpdatedReplicas()));
      assertEquals("app:v1", image(pod("mu-1")), "two replaced pods are all it may have down");
      assertEquals("app:v1", image(pod("mu-0")));

      kubelet.admit(pod -> true);
      await().atMost(WAIT).until(() -> rolledOut("mu", 4) && "app:v2".equals(image(pod("mu-0"))));
      assertEquals(
          2, readiness.mostUnready(), "at most maxUnavailable pods were unavailable at once");
    }
  }
}
