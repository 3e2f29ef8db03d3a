package dev.skiff.controllers.disruption;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.apiserver.testing.TestKubectl;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.RunningControllers;
import dev.skiff.controllers.testing.StandInScheduler;
import dev.skiff.controllers.testing.TestNodes;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real {@code kubectl drain} against the API server with the disruption and ReplicaSet
 * controllers running, fake kubelets reporting pods Running and a stand-in scheduler binding new
 * pods to the first schedulable node: drain cordons, refuses bare and DaemonSet pods without its
 * flags, keeps retrying while a PodDisruptionBudget says no, and evicts once it allows.
 */
class KubectlDrainTest {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Map<String, String> WEB = Map.of("app", "web");

  @RegisterExtension
  final RunningControllers cluster =
      RunningControllers.of(ReplicaSetController::forReplicaSets, DisruptionController::new)
          .withFakeKubelet();

  private KubernetesClient client;
  private Path dir;
  private TestKubectl kubectl;

  @BeforeEach
  void start() throws Exception {
    client = cluster.client();
    cluster.cluster().add(new StandInScheduler(client));
    dir = Files.createTempDirectory("skiff-drain-test");
    kubectl = new TestKubectl(dir, client.getMasterUrl().toString(), "default");
    TestNodes.register(client, "n1");
    TestNodes.register(client, "n2");
  }

  @AfterEach
  void stop() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  private static PodTemplateSpec template(Map<String, String> labels) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("c")
        .withImage("busybox")
        .endContainer()
        .withTerminationGracePeriodSeconds(0L)
        .endSpec()
        .build();
  }

  private List<Pod> webPodsOn(String node) {
    return client.pods().inNamespace("default").withLabels(WEB).list().getItems().stream()
        .filter(p -> node.equals(p.getSpec().getNodeName()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()))
        .toList();
  }

  private PodDisruptionBudget budget() {
    return client.policy().v1().podDisruptionBudget().inNamespace("default").withName("web").get();
  }

  private boolean exists(String pod) {
    return client.pods().inNamespace("default").withName(pod).get() != null;
  }

  @Test
  void drainCordonsRespectsTheBudgetSkipsDaemonSetPodsAndNeedsForceForBarePods() throws Exception {
    client
        .resource(
            new ReplicaSetBuilder()
                .withNewMetadata()
                .withName("web")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(2)
                .withNewSelector()
                .withMatchLabels(WEB)
                .endSelector()
                .withTemplate(template(WEB))
                .endSpec()
                .build())
        .create();
    client.resource(DisruptionBudgets.minAvailable("web", 2)).create();
    DaemonSet agent =
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
                    .withTemplate(template(Map.of("app", "agent")))
                    .endSpec()
                    .build())
            .create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("agent-n1")
                .withNamespace("default")
                .withLabels(Map.of("app", "agent"))
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("DaemonSet")
                .withName("agent")
                .withUid(agent.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .withSpec(template(Map.of()).getSpec())
                .editSpec()
                .withNodeName("n1")
                .endSpec()
                .build())
        .create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("bare")
                .withNamespace("default")
                .endMetadata()
                .withSpec(template(Map.of()).getSpec())
                .editSpec()
                .withNodeName("n1")
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> webPodsOn("n1").size() == 2);
    await()
        .atMost(WAIT)
        .until(
            () ->
                budget().getStatus() != null
                    && Integer.valueOf(2).equals(budget().getStatus().getCurrentHealthy()));
    List<String> original = webPodsOn("n1").stream().map(p -> p.getMetadata().getName()).toList();

    TestKubectl.Result refused = kubectl.run(null, "drain", "n1");
    assertNotEquals(0, refused.exit(), refused.err());
    assertTrue(refused.out().contains("node/n1 cordoned"), refused.out());
    assertTrue(
        refused
            .err()
            .contains(
                "cannot delete Pods that declare no controller (use --force to override):"
                    + " default/bare"),
        refused.err());
    assertTrue(
        refused
            .err()
            .contains(
                "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore):"
                    + " default/agent-n1"),
        refused.err());
    assertEquals(Boolean.TRUE, client.nodes().withName("n1").get().getSpec().getUnschedulable());
    assertTrue(exists("bare"));

    TestKubectl.Result blocked =
        kubectl.run(null, "drain", "n1", "--ignore-daemonsets", "--force", "--timeout=12s");
    assertNotEquals(0, blocked.exit(), blocked.err());
    assertTrue(
        blocked.err().contains("Cannot evict pod as it would violate the pod's disruption budget."),
        blocked.err());
    assertEquals(2, webPodsOn("n1").size());

    client
        .policy()
        .v1()
        .podDisruptionBudget()
        .inNamespace("default")
        .withName("web")
        .edit(
            b -> {
              b.getSpec().setMinAvailable(new IntOrString(1));
              return b;
            });
    TestKubectl.Result drained =
        kubectl.run(null, "drain", "n1", "--ignore-daemonsets", "--force", "--timeout=120s");
    assertEquals(0, drained.exit(), drained.err());
    assertTrue(drained.out().contains("node/n1 drained"), drained.out());
    assertTrue(
        drained.err().contains("Warning: ignoring DaemonSet-managed Pods: default/agent-n1"),
        drained.err());
    for (String pod : original) {
      assertTrue(!exists(pod), pod + " was evicted");
    }
    assertTrue(!exists("bare"));
    assertTrue(exists("agent-n1"));
    assertEquals(0, webPodsOn("n1").size());
    await().atMost(WAIT).until(() -> webPodsOn("n2").size() == 2);
  }
}
