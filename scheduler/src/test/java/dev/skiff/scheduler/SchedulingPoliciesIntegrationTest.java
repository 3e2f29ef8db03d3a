package dev.skiff.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler's promises as a user sees them through a real API server with fake nodes: filters
 * keep pods off nodes they do not fit, {@code kubectl describe pod} says why in upstream's words,
 * and a higher-priority pod preempts a lower one.
 */
class SchedulingPoliciesIntegrationTest {
  @TempDir Path dir;
  private LiveApiServer api;
  private KubernetesClient client;
  private Scheduler scheduler;

  @BeforeEach
  void start() throws Exception {
    api = new LiveApiServer(dir);
    client = api.client;
    var defaults = KubeSchedulerConfiguration.defaults();
    var le = defaults.leaderElection();
    scheduler =
        new Scheduler(
            client,
            defaults.withLeaderElection(
                new dev.skiff.scheduler.framework.SchedulerConfiguration.LeaderElection(
                    false,
                    le.leaseDuration(),
                    le.renewDeadline(),
                    le.retryPeriod(),
                    le.resourceNamespace(),
                    le.resourceName())));
  }

  @AfterEach
  void stop() {
    scheduler.close();
    api.close();
  }

  private void node(String name, String cpu, Map<String, String> labels) {
    client.nodes().resource(Fixtures.node(name, cpu, "4Gi", labels)).create();
  }

  /** Marks the node unschedulable, as {@code kubectl cordon} does. */
  private void cordon(String node) {
    client
        .nodes()
        .withName(node)
        .edit(
            n -> {
              n.getSpec().setUnschedulable(true);
              return n;
            });
  }

  private void awaitBound(String... pods) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> List.of(pods).stream().allMatch(p -> api.nodeOf(p) != null));
  }

  @Test
  void describeOfAnUnschedulablePodSaysWhyInUpstreamsWords() throws Exception {
    node("node-0", "2", Map.of());
    node("node-1", "2", Map.of());
    node("node-2", "2", Map.of());
    cordon("node-0");
    scheduler.start();
    api.create(Fixtures.pod("fill-1", "1500m", "100Mi"));
    api.create(Fixtures.pod("fill-2", "1500m", "100Mi"));
    awaitBound("fill-1", "fill-2");
    assertEquals(
        List.of("node-1", "node-2"),
        List.of(api.nodeOf("fill-1"), api.nodeOf("fill-2")).stream().sorted().toList(),
        "nothing lands on the cordoned node");

    api.create(Fixtures.pod("big", "1500m", "100Mi"));

    // Equal priorities leave no victims on the full nodes; the cordoned one preemption cannot fix.
    String why =
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption:"
            + " 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No"
            + " preemption victims found for incoming pod..";
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.kubectl.ok("describe", "pod", "big").contains(why));
    String describe = api.kubectl.ok("describe", "pod", "big");
    assertTrue(describe.matches("(?s).*\\n\\s+PodScheduled\\s+False\\s*\\n.*"), describe);
    assertTrue(
        describe.matches("(?s).*Warning\\s+FailedScheduling\\s+.*default-scheduler\\s+0/3 nodes.*"),
        describe);
  }

  @Test
  void cordonTaintsNodeAffinityAndAntiAffinityLeaveOneNode() {
    node("cordoned", "4", Map.of("zone", "a"));
    node("tainted", "4", Map.of("zone", "a"));
    node("elsewhere", "4", Map.of("zone", "b"));
    node("crowded", "4", Map.of("zone", "a"));
    node("free", "4", Map.of("zone", "a"));
    cordon("cordoned");
    client
        .nodes()
        .withName("tainted")
        .edit(
            n -> {
              n.getSpec()
                  .setTaints(
                      List.of(
                          new TaintBuilder()
                              .withKey("dedicated")
                              .withValue("db")
                              .withEffect("NoSchedule")
                              .build()));
              return n;
            });
    scheduler.start();
    api.create(
        Fixtures.pod(
            "web-0",
            p ->
                p.editMetadata()
                    .addToLabels("app", "web")
                    .endMetadata()
                    .editSpec()
                    .withNodeName("crowded")
                    .endSpec()));

    api.create(
        Fixtures.pod(
            "web-1",
            p ->
                p.editMetadata()
                    .addToLabels("app", "web")
                    .endMetadata()
                    .editSpec()
                    .withNewAffinity()
                    .withNewNodeAffinity()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .withNodeSelectorTerms(
                        new NodeSelectorTermBuilder()
                            .withMatchExpressions(
                                new NodeSelectorRequirement("zone", "In", List.of("a")))
                            .build())
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity()
                    .withNewPodAntiAffinity()
                    .withRequiredDuringSchedulingIgnoredDuringExecution(
                        new PodAffinityTermBuilder()
                            .withLabelSelector(
                                new LabelSelectorBuilder().addToMatchLabels("app", "web").build())
                            .withTopologyKey("kubernetes.io/hostname")
                            .build())
                    .endPodAntiAffinity()
                    .endAffinity()
                    .endSpec()));

    awaitBound("web-1");
    assertEquals("free", api.nodeOf("web-1"));
  }

  @Test
  void preferredNodeAffinityAndTopologySpreadChangePlacement() {
    node("a1", "4", Map.of("zone", "a"));
    node("a2", "4", Map.of("zone", "a"));
    node("b1", "4", Map.of("zone", "b"));
    scheduler.start();

    api.create(
        Fixtures.pod(
            "prefers-b",
            p ->
                p.editSpec()
                    .withNewAffinity()
                    .withNewNodeAffinity()
                    .addNewPreferredDuringSchedulingIgnoredDuringExecution()
                    .withWeight(100)
                    .withNewPreference()
                    .withMatchExpressions(new NodeSelectorRequirement("zone", "In", List.of("b")))
                    .endPreference()
                    .endPreferredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity()
                    .endAffinity()
                    .endSpec()));
    awaitBound("prefers-b");
    assertEquals("b1", api.nodeOf("prefers-b"));

    // Zone a has two nodes, b one; a skew of at most 1 still puts half the pods in b.
    for (int i = 0; i < 4; i++) {
      api.create(
          Fixtures.pod(
              "spread-" + i,
              p ->
                  p.editMetadata()
                      .addToLabels("app", "spread")
                      .endMetadata()
                      .editSpec()
                      .addNewTopologySpreadConstraint()
                      .withMaxSkew(1)
                      .withTopologyKey("zone")
                      .withWhenUnsatisfiable("DoNotSchedule")
                      .withLabelSelector(
                          new LabelSelectorBuilder().addToMatchLabels("app", "spread").build())
                      .endTopologySpreadConstraint()
                      .endSpec()));
      awaitBound("spread-" + i);
    }
    long inB =
        List.of(0, 1, 2, 3).stream().filter(i -> "b1".equals(api.nodeOf("spread-" + i))).count();
    assertEquals(2, inB);
  }

  @Test
  void aHigherPriorityPodPreemptsALowerOne() {
    node("node-0", "2", Map.of());
    client
        .scheduling()
        .v1()
        .priorityClasses()
        .resource(
            new PriorityClassBuilder()
                .withNewMetadata()
                .withName("high")
                .endMetadata()
                .withValue(1000)
                .build())
        .create();
    scheduler.start();
    api.create(Fixtures.pod("low", "1500m", "100Mi"));
    awaitBound("low");

    api.create(
        Fixtures.pod(
            "urgent",
            p -> p.editSpec().withPriorityClassName("high").endSpec(),
            Fixtures.container("1500m", "100Mi")));

    // The victim is deleted gracefully, marked as a disruption target, and told why.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.pod("low").getMetadata().getDeletionTimestamp() != null);
    Pod victim = api.pod("low");
    assertTrue(
        victim.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    "DisruptionTarget".equals(c.getType())
                        && "PreemptionByScheduler".equals(c.getReason())),
        victim.getStatus().toString());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> "node-0".equals(api.pod("urgent").getStatus().getNominatedNodeName()));
    assertEquals(null, api.nodeOf("urgent"), "it waits for the victim to go");
    assertTrue(
        client.v1().events().inNamespace("default").list().getItems().stream()
            .anyMatch(
                e ->
                    "Preempted".equals(e.getReason())
                        && "low".equals(e.getInvolvedObject().getName())
                        && e.getMessage().endsWith("on node node-0")));

    // No kubelet runs here: finish the graceful deletion as the node's kubelet would.
    client.pods().inNamespace("default").withName("low").withGracePeriod(0).delete();

    awaitBound("urgent");
    assertEquals("node-0", api.nodeOf("urgent"));
    assertEquals(1000, api.pod("urgent").getSpec().getPriority());
  }
}
