package dev.skiff.controllers.daemonset;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DaemonSetControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.start(DaemonSetController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void node(String name, String role, String taintKey, String taintEffect) {
    var node =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .withLabels(Map.of("role", role))
            .endMetadata()
            .withNewSpec()
            .endSpec();
    if (taintKey != null) {
      node.editSpec()
          .withTaints(
              new TaintBuilder().withKey(taintKey).withValue("x").withEffect(taintEffect).build())
          .endSpec();
    }
    client.resource(node.build()).create();
  }

  private List<String> placements() {
    return client.pods().inNamespace("default").withLabel("app", "agent").list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(DaemonSetController::nodeOf)
        .sorted()
        .toList();
  }

  @Test
  void runsOnePodOnEveryEligibleNodeAndFollowsNodeChanges() {
    node("worker-1", "worker", null, null);
    node("tainted", "worker", "dedicated", "NoSchedule");
    node("cordoned", "worker", "node.kubernetes.io/unschedulable", "NoSchedule");
    node("edge-1", "edge", null, null);
    client
        .resource(
            new DaemonSetBuilder()
                .withNewMetadata()
                .withName("agent")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withNewSelector()
                .withMatchLabels(Map.of("app", "agent"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "agent"))
                .endMetadata()
                .withNewSpec()
                .withNodeSelector(Map.of("role", "worker"))
                .addNewContainer()
                .withName("agent")
                .withImage("agent:1")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();

    await().atMost(WAIT).until(() -> placements().equals(List.of("cordoned", "worker-1")));
    Pod pod =
        client.pods().inNamespace("default").withLabel("app", "agent").list().getItems().getFirst();
    assertTrue(
        pod.getSpec().getTolerations().stream()
            .anyMatch(
                t ->
                    "node.kubernetes.io/not-ready".equals(t.getKey())
                        && "NoExecute".equals(t.getEffect())));
    await()
        .atMost(WAIT)
        .until(
            () ->
                Integer.valueOf(2)
                    .equals(
                        client
                            .apps()
                            .daemonSets()
                            .inNamespace("default")
                            .withName("agent")
                            .get()
                            .getStatus()
                            .getDesiredNumberScheduled()));

    node("worker-2", "worker", null, null);
    await()
        .atMost(WAIT)
        .until(() -> placements().equals(List.of("cordoned", "worker-1", "worker-2")));

    client
        .nodes()
        .withName("worker-1")
        .edit(
            n ->
                new NodeBuilder(n)
                    .editMetadata()
                    .withLabels(Map.of("role", "edge"))
                    .endMetadata()
                    .build());
    client.nodes().withName("worker-2").delete();
    await().atMost(WAIT).until(() -> placements().equals(List.of("cordoned")));
    assertEquals(1, placements().size());
  }
}
