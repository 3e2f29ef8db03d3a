package dev.skiff.controllers.nodeipam;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives every Node a {@code spec.podCIDR} (and {@code podCIDRs}) from the cluster CIDR and takes it
 * back when the Node is deleted. Before allocating anything it marks the subnets of all existing
 * Nodes taken, so a restarted controller never hands out a subnet twice.
 */
public final class NodeIpamController extends QueueController {
  public static final String DEFAULT_CLUSTER_CIDR = "10.42.0.0/16";
  public static final int DEFAULT_NODE_MASK_SIZE = 24;
  private static final Logger LOG = LoggerFactory.getLogger(NodeIpamController.class);

  private final KubernetesClient client;
  private final SharedIndexInformer<Node> nodes;
  private final CidrSet cidrs;
  private final EventRecorder events;

  /** What we allocated and have not yet seen in the cache, by node name. */
  private final Map<String, String> pending = new ConcurrentHashMap<>();

  public NodeIpamController(ControllerContext context, String clusterCidr, int nodeMaskSize) {
    super("nodeipam");
    this.client = context.client();
    this.nodes = context.informers().of(Node.class);
    this.cidrs = new CidrSet(clusterCidr, nodeMaskSize);
    this.events = context.events("cidrAllocator");
    // Subnets are marked taken as events arrive, in order, so no worker can hand one out while
    // the event naming its owner still waits in the queue.
    nodes.addEventHandler(Handlers.of(this::observed, (o, n) -> observed(n), this::released));
  }

  @Override
  public synchronized void start(int workers) {
    for (Node node : nodes.getStore().list()) {
      podCidr(node).ifPresent(this::occupy);
    }
    super.start(workers);
  }

  private void observed(Node node) {
    podCidr(node).ifPresent(this::occupy);
    enqueue(node);
  }

  private void occupy(String cidr) {
    if (!cidrs.occupy(cidr)) {
      LOG.info("nodeipam: {} is outside the cluster CIDR, left alone", cidr);
    }
  }

  private void released(Node node) {
    podCidr(node).ifPresent(cidrs::release);
    String allocated = pending.remove(node.getMetadata().getName());
    if (allocated != null) {
      cidrs.release(allocated);
    }
  }

  private static Optional<String> podCidr(Node node) {
    if (node.getSpec() == null) {
      return Optional.empty();
    }
    String cidr = node.getSpec().getPodCIDR();
    if ((cidr == null || cidr.isEmpty()) && !node.getSpec().getPodCIDRs().isEmpty()) {
      cidr = node.getSpec().getPodCIDRs().getFirst();
    }
    return cidr == null || cidr.isEmpty() ? Optional.empty() : Optional.of(cidr);
  }

  @Override
  protected void reconcile(String name) {
    Node node = nodes.getIndexer().getByKey(name);
    if (node == null || node.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    Optional<String> existing = podCidr(node);
    if (existing.isPresent()) {
      occupy(existing.get());
      String allocated = pending.remove(name);
      if (allocated != null && !allocated.equals(existing.get())) {
        cidrs.release(allocated);
      }
      return;
    }
    String cidr = pending.get(name);
    if (cidr == null) {
      Optional<String> next = cidrs.allocateNext();
      if (next.isEmpty()) {
        events.warning(
            node, "CIDRNotAvailable", "Node " + name + " status is now: CIDRNotAvailable");
        enqueueAfter(name, Duration.ofSeconds(30));
        return;
      }
      cidr = next.get();
      pending.put(name, cidr);
    }
    String chosen = cidr;
    try {
      client
          .nodes()
          .withName(name)
          .edit(
              n -> {
                if (podCidr(n).isPresent()) {
                  return n;
                }
                return new NodeBuilder(n)
                    .editOrNewSpec()
                    .withPodCIDR(chosen)
                    .withPodCIDRs(List.of(chosen))
                    .endSpec()
                    .build();
              });
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        released(node);
        return;
      }
      throw e;
    }
  }
}
