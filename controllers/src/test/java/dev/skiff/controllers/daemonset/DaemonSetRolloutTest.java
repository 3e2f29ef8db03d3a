package dev.skiff.controllers.daemonset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.testing.AppWorkload;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ControllerRevision;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DaemonSet rollouts as {@code kubectl rollout status/history/undo ds} see them, on three fake
 * nodes with a fake kubelet that makes every pod Running and Ready.
 */
class DaemonSetRolloutTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final List<String> NODES = List.of("n1", "n2", "n3");
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    for (String node : NODES) {
      client
          .resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().build())
          .create();
    }
    cluster.add(new FakeKubelet(client));
    cluster.start(DaemonSetController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static DaemonSetBuilder daemonSet(String name, String image) {
    return new DaemonSetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withSelector(AppWorkload.selector(name))
        .withTemplate(AppWorkload.template(name, "agent", image))
        .endSpec();
  }

  private DaemonSet get(String name) {
    return client.apps().daemonSets().inNamespace("default").withName(name).get();
  }

  private List<Pod> pods(String app) {
    return client.pods().inNamespace("default").withLabel("app", app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .toList();
  }

  private List<ControllerRevision> revisions(String app) {
    return AppWorkload.revisions(client, app);
  }

  private void setImage(String name, String image) {
    client
        .apps()
        .daemonSets()
        .inNamespace("default")
        .withName(name)
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"agent\",\"image\":\""
                + image
                + "\"}]}}}}");
  }

  /** What {@code kubectl rollout status ds} waits for. */
  private boolean rolledOut(String name) {
    DaemonSet set = get(name);
    var s = set.getStatus();
    return s != null
        && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= set.getMetadata().getGeneration()
        && Integer.valueOf(NODES.size()).equals(s.getDesiredNumberScheduled())
        && Integer.valueOf(NODES.size()).equals(s.getUpdatedNumberScheduled())
        && Integer.valueOf(NODES.size()).equals(s.getNumberAvailable());
  }

  private boolean allRun(String app, String image) {
    List<Pod> pods = pods(app);
    return pods.size() == NODES.size()
        && pods.stream()
            .allMatch(p -> image.equals(p.getSpec().getContainers().getFirst().getImage()));
  }

  /** Watches the app's pods; returns {fewest ready, most existing} seen until closed. */
  private Watch observe(String app, AtomicInteger fewestReady, AtomicInteger mostPods) {
    Set<String> ready = ConcurrentHashMap.newKeySet();
    Set<String> existing = ConcurrentHashMap.newKeySet();
    for (Pod pod : pods(app)) {
      existing.add(pod.getMetadata().getName());
      if (Pods.isReady(pod)) {
        ready.add(pod.getMetadata().getName());
      }
    }
    fewestReady.set(ready.size());
    mostPods.set(existing.size());
    return client
        .pods()
        .inNamespace("default")
        .withLabel("app", app)
        .watch(
            new Watcher<>() {
              @Override
              public void eventReceived(Action action, Pod pod) {
                String name = pod.getMetadata().getName();
                boolean gone =
                    action == Action.DELETED || pod.getMetadata().getDeletionTimestamp() != null;
                if (gone) {
                  existing.remove(name);
                } else {
                  existing.add(name);
                }
                if (gone || !Pods.isReady(pod)) {
                  ready.remove(name);
                } else {
                  ready.add(name);
                }
                fewestReady.accumulateAndGet(ready.size(), Math::min);
                mostPods.accumulateAndGet(existing.size(), Math::max);
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
  }

  @Test
  void aRollingUpdateReplacesOneNodeAtATimeAndRecordsRevisions() {
    client.resource(daemonSet("agent", "agent:1").build()).create();
    await().atMost(WAIT).until(() -> rolledOut("agent") && allRun("agent", "agent:1"));
    assertEquals(1, revisions("agent").size());
    ControllerRevision first = revisions("agent").getFirst();
    String firstHash = first.getMetadata().getLabels().get("controller-revision-hash");
    assertEquals("agent-" + firstHash, first.getMetadata().getName());
    assertTrue(
        pods("agent").stream()
            .allMatch(
                p ->
                    firstHash.equals(p.getMetadata().getLabels().get("controller-revision-hash"))));

    AtomicInteger fewestReady = new AtomicInteger();
    AtomicInteger mostPods = new AtomicInteger();
    Watch watch = observe("agent", fewestReady, mostPods);
    try {
      setImage("agent", "agent:2");
      await().atMost(WAIT).until(() -> rolledOut("agent") && allRun("agent", "agent:2"));
    } finally {
      watch.close();
    }
    assertTrue(fewestReady.get() >= NODES.size() - 1, "ready pods fell to " + fewestReady.get());
    assertTrue(mostPods.get() <= NODES.size(), "no surge by default, saw " + mostPods.get());
    List<ControllerRevision> revisions = revisions("agent");
    assertEquals(List.of(1L, 2L), revisions.stream().map(ControllerRevision::getRevision).toList());

    // kubectl rollout undo: revision 1's template comes back and is renumbered 3.
    setImage("agent", "agent:1");
    await()
        .atMost(WAIT)
        .until(
            () ->
                rolledOut("agent")
                    && allRun("agent", "agent:1")
                    && revisions("agent").getLast().getRevision() == 3L);
    assertEquals(
        first.getMetadata().getName(), revisions("agent").getLast().getMetadata().getName());
    assertEquals(2, revisions("agent").size());
  }

  @Test
  void withMaxSurgeNewPodsStartBesideOldOnesAndNoNodeIsEverWithout() {
    client
        .resource(
            daemonSet("surge", "agent:1")
                .editSpec()
                .withNewUpdateStrategy()
                .withType("RollingUpdate")
                .withNewRollingUpdate()
                .withMaxSurge(new IntOrString(1))
                .withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate()
                .endUpdateStrategy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("surge") && allRun("surge", "agent:1"));
    AtomicInteger fewestReady = new AtomicInteger();
    AtomicInteger mostPods = new AtomicInteger();
    Watch watch = observe("surge", fewestReady, mostPods);
    try {
      setImage("surge", "agent:2");
      await().atMost(WAIT).until(() -> rolledOut("surge") && allRun("surge", "agent:2"));
    } finally {
      watch.close();
    }
    assertEquals(NODES.size(), fewestReady.get(), "every node kept a ready pod");
    assertEquals(NODES.size() + 1, mostPods.get(), "one node at a time had a surge pod");
  }

  @Test
  void onDeleteLeavesPodsUntilTheyAreDeleted() {
    client
        .resource(
            daemonSet("od", "agent:1")
                .editSpec()
                .withNewUpdateStrategy()
                .withType("OnDelete")
                .endUpdateStrategy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> rolledOut("od") && allRun("od", "agent:1"));
    setImage("od", "agent:2");
    await()
        .atMost(WAIT)
        .until(
            () ->
                revisions("od").size() == 2
                    && get("od").getStatus().getObservedGeneration() == 2L
                    && Integer.valueOf(0)
                        .equals(get("od").getStatus().getUpdatedNumberScheduled()));
    assertTrue(allRun("od", "agent:1"));

    Pod victim = pods("od").getFirst();
    client.pods().inNamespace("default").withName(victim.getMetadata().getName()).delete();
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(1).equals(get("od").getStatus().getUpdatedNumberScheduled())
                    && pods("od").size() == NODES.size());
    assertEquals(
        1,
        pods("od").stream()
            .filter(p -> "agent:2".equals(p.getSpec().getContainers().getFirst().getImage()))
            .count());
  }
}
