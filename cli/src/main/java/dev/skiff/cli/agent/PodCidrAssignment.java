package dev.skiff.cli.agent;

import dev.skiff.cli.UserError;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;

/**
 * A joining node's pod range, which the control plane's node IPAM assigns once the Node exists: the
 * agent registers the Node first (the kubelet adopts it) and waits for {@code spec.podCIDR}, since
 * the pod network is configured from it before any pod starts.
 */
final class PodCidrAssignment {
  private static final Duration POLL = Duration.ofMillis(500);

  private PodCidrAssignment() {}

  static String await(KubernetesClient node, String nodeName, Duration timeout) {
    Node existing = node.nodes().withName(nodeName).get();
    if (existing == null) {
      try {
        node.nodes()
            .resource(
                new NodeBuilder()
                    .withNewMetadata()
                    .withName(nodeName)
                    .addToLabels("kubernetes.io/hostname", nodeName)
                    .endMetadata()
                    .build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw new UserError("cannot register node " + nodeName + ": " + e.getMessage(), e);
        }
      }
    }
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      Node current = node.nodes().withName(nodeName).get();
      if (current != null
          && current.getSpec() != null
          && current.getSpec().getPodCIDR() != null
          && !current.getSpec().getPodCIDR().isEmpty()) {
        return current.getSpec().getPodCIDR();
      }
      if (Instant.now().isAfter(deadline)) {
        throw new UserError(
            "node "
                + nodeName
                + " got no pod range (spec.podCIDR) within "
                + timeout.toSeconds()
                + " s; is the cluster CIDR exhausted or the controller manager down?");
      }
      try {
        Thread.sleep(POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UserError("interrupted while waiting for a pod range", e);
      }
    }
  }
}
