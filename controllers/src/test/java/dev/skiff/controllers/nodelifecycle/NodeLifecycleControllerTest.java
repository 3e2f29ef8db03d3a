package dev.skiff.controllers.nodelifecycle;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.FakeKubelet;
import dev.skiff.controllers.testing.StandInScheduler;
import dev.skiff.controllers.testing.TestCluster;
import dev.skiff.controllers.testing.TestNodes;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class NodeLifecycleControllerTest {
  private static final NodeLifecycleSettings FAST =
      new NodeLifecycleSettings(Duration.ofSeconds(2), Duration.ofMillis(200), 10, 10, 50, 0.55);

  private TestCluster cluster;
  private KubernetesClient client;

  /** Nodes whose fake kubelet is alive and renews its Lease. */
  private final Set<String> alive = ConcurrentHashMap.newKeySet();

  private ScheduledExecutorService kubelets;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    kubelets = Executors.newSingleThreadScheduledExecutor();
    kubelets.scheduleWithFixedDelay(this::renewLeases, 0, 300, TimeUnit.MILLISECONDS);
  }

  @AfterEach
  void stop() {
    kubelets.shutdownNow();
    cluster.close();
  }

  private void renewLeases() {
    for (String node : alive) {
      var lease =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(node)
              .withNamespace(NodeLifecycleController.LEASE_NAMESPACE)
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(node)
              .withLeaseDurationSeconds(40)
              .withRenewTime(ZonedDateTime.now(ZoneOffset.UTC))
              .endSpec()
              .build();
      try {
        var existing =
            client.leases().inNamespace(NodeLifecycleController.LEASE_NAMESPACE).withName(node);
        if (existing.get() == null) {
          client.resource(lease).create();
        } else {
          existing.edit(l -> new LeaseBuilder(l).withSpec(lease.getSpec()).build());
        }
      } catch (RuntimeException e) {
        // The next renewal tries again, as a kubelet would.
      }
    }
  }

  /** A node whose kubelet reported Ready and keeps its Lease renewed. */
  private void registerNode(String name) {
    TestNodes.register(client, name);
    alive.add(name);
  }

  private void kubeletReturns(String name) {
    alive.add(name);
    reportReady(name, "True");
  }

  private Pod pod(String name, String node, Long toleratesUnreachableFor, boolean tolerates) {
    var builder =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace("default")
            .endMetadata()
            .withNewSpec()
            .withNodeName(node)
            .addNewContainer()
            .withName("c")
            .withImage("busybox")
            .endContainer()
            .endSpec();
    if (tolerates) {
      builder
          .editSpec()
          .addToTolerations(
              new TolerationBuilder()
                  .withKey(NodeTaints.UNREACHABLE)
                  .withOperator("Exists")
                  .withEffect("NoExecute")
                  .withTolerationSeconds(toleratesUnreachableFor)
                  .build())
          .endSpec();
    }
    return client.resource(builder.build()).create();
  }

  private boolean hasTaint(String node, String key, String effect) {
    return client.nodes().withName(node).get().getSpec().getTaints().stream()
        .anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
  }

  private String ready(String node) {
    return NodeTaints.readyStatus(client.nodes().withName(node).get());
  }

  private boolean podExists(String name) {
    Pod pod = client.pods().inNamespace("default").withName(name).get();
    return pod != null && pod.getMetadata().getDeletionTimestamp() == null;
  }

  @Test
  void aSilentNodeBecomesUnknownIsTaintedAndLosesItsPodsUntilItReturns() throws Exception {
    registerNode("node-1");
    registerNode("node-2");
    cluster.start(c -> new NodeLifecycleController(c, FAST), TaintEvictionController::new);
    // DefaultTolerationSeconds admission gives toleration-less pods 300 s, as upstream; a zero
    // toleration is the way to be evicted at once.
    pod("intolerant", "node-1", 0L, true);
    pod("brief", "node-1", 1L, true);
    pod("patient", "node-1", null, true);
    pod("elsewhere", "node-2", null, false);

    alive.remove("node-1");
    await().atMost(Duration.ofSeconds(30)).until(() -> "Unknown".equals(ready("node-1")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                hasTaint("node-1", NodeTaints.UNREACHABLE, "NoExecute")
                    && hasTaint("node-1", NodeTaints.UNREACHABLE, "NoSchedule"));
    var condition =
        NodeTaints.condition(client.nodes().withName("node-1").get(), "Ready").orElseThrow();
    assertEquals("NodeStatusUnknown", condition.getReason());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !podExists("intolerant") && !podExists("brief"));
    assertTrue(podExists("patient"));
    assertTrue(podExists("elsewhere"));
    assertEquals("True", ready("node-2"));
    assertFalse(hasTaint("node-2", NodeTaints.UNREACHABLE, "NoExecute"));

    kubeletReturns("node-1");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !hasTaint("node-1", NodeTaints.UNREACHABLE, "NoExecute")
                    && !hasTaint("node-1", NodeTaints.UNREACHABLE, "NoSchedule"));
    assertTrue(podExists("patient"));
  }

  @Test
  void aRegisteredNodeIsSchedulableOnceItsKubeletReportsReadyAndNotWhileItIsNot() throws Exception {
    // Health checks an hour apart: only the node's own updates can lift or restore the taint.
    var eventsOnly =
        new NodeLifecycleSettings(Duration.ofMinutes(5), Duration.ofHours(1), 10, 10, 50, 0.55);
    // As a kubelet registers: tainted not-ready, with its first status, still NotReady.
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName("fresh")
                .endMetadata()
                .withNewSpec()
                .addNewTaint()
                .withKey(NodeTaints.NOT_READY)
                .withEffect("NoSchedule")
                .endTaint()
                .endSpec()
                .withNewStatus()
                .addToConditions(readyCondition("False"))
                .endStatus()
                .build())
        .create();
    alive.add("fresh");
    cluster.start(c -> new NodeLifecycleController(c, eventsOnly));

    reportReady("fresh", "True");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> !hasTaint("fresh", NodeTaints.NOT_READY, "NoSchedule"));
    reportReady("fresh", "False");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hasTaint("fresh", NodeTaints.NOT_READY, "NoSchedule"));
  }

  private static NodeCondition readyCondition(String status) {
    return new NodeConditionBuilder(TestNodes.ready())
        .withStatus(status)
        .withReason("True".equals(status) ? "KubeletReady" : "KubeletNotReady")
        .build();
  }

  private void reportReady(String node, String status) {
    client
        .nodes()
        .withName(node)
        .editStatus(
            n -> {
              n.getStatus().getConditions().removeIf(c -> "Ready".equals(c.getType()));
              n.getStatus().getConditions().add(readyCondition(status));
              return n;
            });
  }

  @Test
  void whenEveryNodeIsSilentNothingIsEvicted() throws Exception {
    registerNode("only");
    cluster.start(c -> new NodeLifecycleController(c, FAST), TaintEvictionController::new);
    pod("stays", "only", null, false);
    alive.remove("only");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hasTaint("only", NodeTaints.UNREACHABLE, "NoSchedule"));
    assertFalse(hasTaint("only", NodeTaints.UNREACHABLE, "NoExecute"));
    assertNotNull(client.pods().inNamespace("default").withName("stays").get());
  }

  @Test
  void deploymentPodsOfASilentNodeComeBackOnAnotherOnceTheirTolerationExpires() throws Exception {
    registerNode("node-1");
    registerNode("node-2");
    cluster.add(
        new FakeKubelet(
            client,
            p -> p.getSpec().getNodeName() != null && alive.contains(p.getSpec().getNodeName())));
    cluster.add(new StandInScheduler(client));
    cluster.start(
        c -> new NodeLifecycleController(c, FAST),
        TaintEvictionController::new,
        ReplicaSetController::forReplicaSets,
        DeploymentController::new);
    Map<String, String> labels = Map.of("app", "web");
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .withMatchLabels(labels)
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .addToTolerations(
                    new TolerationBuilder()
                        .withKey(NodeTaints.UNREACHABLE)
                        .withOperator("Exists")
                        .withEffect("NoExecute")
                        .withTolerationSeconds(2L)
                        .build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    // The stand-in scheduler fills node-1 first.
    await().atMost(Duration.ofSeconds(60)).until(() -> runningWebPodsOn("node-1").size() == 2);
    Set<String> original = Set.copyOf(runningWebPodsOn("node-1"));

    alive.remove("node-1");
    await().atMost(Duration.ofSeconds(30)).until(() -> "Unknown".equals(ready("node-1")));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> hasTaint("node-1", NodeTaints.UNREACHABLE, "NoExecute"));
    await().atMost(Duration.ofSeconds(60)).until(() -> runningWebPodsOn("node-2").size() == 2);
    for (String pod : original) {
      assertFalse(podExists(pod), pod + " stays evicted from the silent node");
    }
    assertTrue(runningWebPodsOn("node-1").isEmpty());
  }

  private List<String> runningWebPodsOn(String node) {
    return client.pods().inNamespace("default").withLabel("app", "web").list().getItems().stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .map(p -> p.getMetadata().getName())
        .toList();
  }
}
