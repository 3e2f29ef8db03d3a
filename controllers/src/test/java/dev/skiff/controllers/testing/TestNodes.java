package dev.skiff.controllers.testing;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Nodes of the controller tests, registered and reported as their kubelets would. */
public final class TestNodes {
  private TestNodes() {}

  /** Registers node {@code name} and reports it Ready, as its kubelet does once it has started. */
  public static Node register(KubernetesClient client, String name) {
    Node node =
        client
            .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
    node.setStatus(new NodeStatusBuilder().addToConditions(ready()).build());
    return client.nodes().resource(node).updateStatus();
  }

  /** The Ready condition a kubelet reports, with its heartbeat and transition now. */
  public static NodeCondition ready() {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new NodeConditionBuilder()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }
}
