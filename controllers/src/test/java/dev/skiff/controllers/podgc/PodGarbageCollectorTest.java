package dev.skiff.controllers.podgc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodGarbageCollectorTest {
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    client
        .resource(new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().build())
        .create();
    cluster.start(context -> new PodGarbageCollector(context, 2, Duration.ofMillis(300)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private Pod pod(String name, String node, String phase) {
    Pod pod =
        client
            .resource(
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
                    .endSpec()
                    .build())
            .create();
    if (phase != null) {
      pod.setStatus(
          new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(phase).build());
      pod = client.pods().inNamespace("default").resource(pod).updateStatus();
    }
    return pod;
  }

  private List<String> podNames() {
    return client.pods().inNamespace("default").list().getItems().stream()
        .map(p -> p.getMetadata().getName())
        .sorted()
        .toList();
  }

  @Test
  void keepsOnlyTheNewestTerminatedPodsAboveTheThreshold() {
    pod("a-done", "node-1", "Succeeded");
    pod("b-failed", "node-1", "Failed");
    pod("c-done", "node-1", "Succeeded");
    pod("d-done", "node-1", "Succeeded");
    pod("running", "node-1", "Running");
    await().atMost(Duration.ofSeconds(30)).until(() -> podNames().size() == 3);
    assertEquals(List.of("c-done", "d-done", "running"), podNames());
  }

  @Test
  void deletesPodsBoundToANodeThatNoLongerExists() {
    pod("on-gone-node", "node-gone", "Running");
    pod("on-live-node", "node-1", "Running");
    await().atMost(Duration.ofSeconds(30)).until(() -> podNames().equals(List.of("on-live-node")));
  }
}
