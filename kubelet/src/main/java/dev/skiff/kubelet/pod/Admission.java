package dev.skiff.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The kubelet's own admission of a pod bound to it (upstream's canAdmitPod): the node selector
 * matches the node's labels, and the node has room for its cpu and memory requests and one more
 * pod. A rejected pod fails without running, with the reason {@code kubectl get pods} shows.
 */
public final class Admission {
  private final Supplier<Node> node;

  /** Why a pod cannot run here. */
  public record Rejection(String reason, String message) {}

  public Admission(Supplier<Node> node) {
    this.node = node;
  }

  public Optional<Rejection> check(Pod pod, Collection<Pod> admitted) {
    Node n = node.get();
    if (n == null || n.getStatus() == null || n.getStatus().getAllocatable() == null) {
      return Optional.empty();
    }
    return check(pod, admitted, n.getMetadata().getLabels(), n.getStatus().getAllocatable());
  }

  /** Pure: the decision from the node's labels and allocatable and the pods already admitted. */
  static Optional<Rejection> check(
      Pod pod,
      Collection<Pod> admitted,
      Map<String, String> labels,
      Map<String, Quantity> allocatable) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (var e : selector.entrySet()) {
        if (labels == null || !e.getValue().equals(labels.get(e.getKey()))) {
          return Optional.of(
              new Rejection(
                  "NodeAffinity",
                  "Pod was rejected: Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"));
        }
      }
    }
    Quantity maxPods = allocatable.get("pods");
    if (maxPods != null && admitted.size() + 1 > maxPods.getNumericalAmount().intValue()) {
      return Optional.of(
          new Rejection(
              "OutOfpods",
              "Pod was rejected: Node didn't have enough resource: pods, requested: 1, used: "
                  + admitted.size()
                  + ", capacity: "
                  + maxPods.getNumericalAmount().intValue()));
    }
    for (String resource : List.of("cpu", "memory")) {
      Quantity cap = allocatable.get(resource);
      if (cap == null) {
        continue;
      }
      long capacity = units(resource, cap.getNumericalAmount());
      long requested = requests(pod, resource);
      if (requested == 0) {
        continue;
      }
      long used = 0;
      for (Pod p : admitted) {
        used += requests(p, resource);
      }
      if (used + requested > capacity) {
        return Optional.of(
            new Rejection(
                "OutOf" + resource,
                "Pod was rejected: Node didn't have enough resource: "
                    + resource
                    + ", requested: "
                    + requested
                    + ", used: "
                    + used
                    + ", capacity: "
                    + capacity));
      }
    }
    return Optional.empty();
  }

  /** Millicores for cpu, bytes for memory, as upstream's messages count them. */
  private static long units(String resource, BigDecimal amount) {
    return resource.equals("cpu")
        ? amount.multiply(BigDecimal.valueOf(1000)).longValue()
        : amount.longValue();
  }

  /** The pod's effective request: the sum over containers, or the largest init container's. */
  static long requests(Pod pod, String resource) {
    long sum = 0;
    for (Container c : pod.getSpec().getContainers()) {
      sum += request(c, resource);
    }
    long init = 0;
    for (Container c : pod.getSpec().getInitContainers()) {
      init = Math.max(init, request(c, resource));
    }
    return Math.max(sum, init);
  }

  private static long request(Container c, String resource) {
    var r = c.getResources();
    if (r == null) {
      return 0;
    }
    Quantity q = r.getRequests() == null ? null : r.getRequests().get(resource);
    if (q == null && r.getLimits() != null) {
      q = r.getLimits().get(resource);
    }
    return q == null ? 0 : units(resource, q.getNumericalAmount());
  }
}
