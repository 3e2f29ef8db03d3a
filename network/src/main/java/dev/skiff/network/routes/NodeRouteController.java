package dev.skiff.network.routes;

import dev.skiff.api.informers.RelistingInformer;
import dev.skiff.network.informers.InformerSync;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's routes to the other nodes' pod networks in line with the Node objects, as nodes
 * join, change address or leave; installs the blackholes for the cluster and service ranges first.
 * {@link #close()} removes everything the programmer added.
 */
public final class NodeRouteController implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRouteController.class);

  private final KubernetesClient client;
  private final RouteProgrammer programmer;
  private final String nodeName;
  private final String clusterCidr;
  private final String serviceCidr;
  private final ScheduledThreadPoolExecutor loop = singleThreadLoop("node-routes");
  private SharedIndexInformer<Node> nodes;
  private List<NodeRoute> applied;

  public NodeRouteController(
      KubernetesClient client,
      RouteProgrammer programmer,
      String nodeName,
      String clusterCidr,
      String serviceCidr) {
    this.client = client;
    this.programmer = programmer;
    this.nodeName = nodeName;
    this.clusterCidr = clusterCidr;
    this.serviceCidr = serviceCidr;
  }

  public void start() throws IOException {
    programmer.installBlackholes(clusterCidr, serviceCidr);
    nodes = RelistingInformer.of(client.nodes());
    nodes.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node obj) {
            loop.execute(NodeRouteController.this::sync);
          }

          @Override
          public void onUpdate(Node oldObj, Node newObj) {
            loop.execute(NodeRouteController.this::sync);
          }

          @Override
          public void onDelete(Node obj, boolean deletedFinalStateUnknown) {
            loop.execute(NodeRouteController.this::sync);
          }
        });
    InformerSync.await(nodes);
    loop.execute(this::sync);
  }

  private void sync() {
    List<NodeRoute> desired = NodeRoutes.desired(nodes.getStore().list(), nodeName);
    if (desired.equals(applied)) {
      return;
    }
    try {
      programmer.syncNodeRoutes(desired);
      applied = desired;
    } catch (IOException | RuntimeException e) {
      applied = null;
      LOG.warn("could not program node routes, retrying in 1s", e);
      loop.schedule(this::sync, 1, TimeUnit.SECONDS);
    }
  }

  private static ScheduledThreadPoolExecutor singleThreadLoop(String name) {
    ScheduledThreadPoolExecutor loop =
        new ScheduledThreadPoolExecutor(
            1, r -> Thread.ofPlatform().name(name).daemon().unstarted(r));
    loop.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    return loop;
  }

  @Override
  public void close() {
    if (nodes != null) {
      nodes.close();
    }
    // Let a sync in flight finish; drop pending ones.
    loop.shutdown();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
      programmer.removeAll();
    } catch (IOException e) {
      LOG.warn("could not remove node routes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
