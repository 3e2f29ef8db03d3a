package dev.skiff.controllers.deployment;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.AppWorkload;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeploymentControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private TestCluster cluster;
  private KubernetesClient client;
  private FakeKubelet kubelet;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    kubelet = cluster.add(new FakeKubelet(client));
    cluster.start(ReplicaSetController::forReplicaSets, DeploymentController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  static DeploymentBuilder deployment(String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withProgressDeadlineSeconds(600)
        .withRevisionHistoryLimit(10)
        .withSelector(AppWorkload.selector(name))
        .withTemplate(AppWorkload.template(name, "app", image))
        .endSpec();
  }

  private Deployment get(String name) {
    return client.apps().deployments().inNamespace("default").withName(name).get();
  }

  private List<ReplicaSet> replicaSets(String app) {
    return client
        .apps()
        .replicaSets()
        .inNamespace("default")
        .withLabel("app", app)
        .list()
        .getItems()
        .stream()
        .sorted(
            Comparator.comparing(
                rs ->
                    rs.getMetadata()
                        .getAnnotations()
                        .getOrDefault(ReplicaSetAnnotations.REVISION, "")))
        .toList();
  }

  private ReplicaSet replicaSetWithImage(String app, String image) {
    return replicaSets(app).stream()
        .filter(
            rs ->
                rs.getSpec()
                    .getTemplate()
                    .getSpec()
                    .getContainers()
                    .getFirst()
                    .getImage()
                    .equals(image))
        .findFirst()
        .orElse(null);
  }

  private static String condition(Deployment d, String type) {
    if (d.getStatus() == null) {
      return null;
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(DeploymentCondition::getReason)
        .findFirst()
        .orElse(null);
  }

  /** What {@code kubectl rollout status} waits for. */
  private boolean rolledOut(String name) {
    Deployment d = get(name);
    var s = d.getStatus();
    return s != null
        && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && d.getSpec().getReplicas().equals(s.getUpdatedReplicas())
        && d.getSpec().getReplicas().equals(s.getReplicas())
        && d.getSpec().getReplicas().equals(s.getAvailableReplicas())
        && "NewReplicaSetAvailable".equals(condition(d, "Progressing"));
  }

  private void setImage(String name, String image) {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .withName(name)
        .edit(
            d ->
                new DeploymentBuilder(d)
                    .editSpec()
                    .editTemplate()
                    .editSpec()
                    .editFirstContainer()
                    .withImage(image)
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build());
  }

  /**
   * As {@code kubectl rollout pause/resume}: a merge patch without resourceVersion, retried on
   * conflict as kubectl retries its patches.
   */
  private void pause(String name, boolean paused) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .apps()
            .deployments()
            .inNamespace("default")
            .withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":" + paused + "}}");
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }

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

    Set<String> ready = ConcurrentHashMap.newKeySet();
    client.pods().inNamespace("default").withLabel("app", "roll").list().getItems().stream()
        .filter(Pods::isReady)
        .forEach(p -> ready.add(p.getMetadata().getName()));
    assertEquals(10, ready.size());
    AtomicInteger fewest = new AtomicInteger(ready.size());
    Watch watch =
        client
            .pods()
            .inNamespace("default")
            .withLabel("app", "roll")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String name = pod.getMetadata().getName();
                    if (action == Action.DELETED
                        || !Pods.isReady(pod)
                        || pod.getMetadata().getDeletionTimestamp() != null) {
                      ready.remove(name);
                    } else {
                      ready.add(name);
                    }
                    fewest.accumulateAndGet(ready.size(), Math::min);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
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
    } finally {
      watch.close();
    }
    assertTrue(fewest.get() >= 10, "ready pods fell to " + fewest.get());
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

  @Test
  void aRolloutThatCannotProgressExceedsItsDeadline() {
    kubelet.admit(pod -> !pod.getSpec().getContainers().getFirst().getImage().equals("app:broken"));
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

  @Test
  void scalingMidRolloutSpreadsNewReplicasInProportion() {
    kubelet.admit(
        pod -> !pod.getSpec().getContainers().getFirst().getImage().equals("app:missing"));
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
