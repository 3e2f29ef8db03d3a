package dev.skiff.controllers.nodelifecycle;

import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.ControllerMetrics;
import dev.skiff.controllers.framework.EventRecorder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches node health through the kubelets' Leases in {@code kube-node-lease}: a node silent for
 * the grace period has its conditions set to Unknown and its pods marked not ready; nodes get the
 * NoSchedule taints their conditions call for at once ({@link NoScheduleTainting}), and the {@code
 * unreachable} or {@code not-ready} NoExecute taint at a per-zone limited rate (stopped entirely
 * when every zone is down, which more likely means we cannot see the nodes than that they all
 * failed). Taints go when the node is Ready again.
 */
public final class NodeLifecycleController implements Controller {
  public static final String LEASE_NAMESPACE = "kube-node-lease";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";
  private static final Logger LOG = LoggerFactory.getLogger(NodeLifecycleController.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final NodeLifecycleSettings settings;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Lease> leases;
  private final SharedIndexInformer<Pod> pods;
  private final EventRecorder events;
  private final NoScheduleTainting noScheduleTainting;
  private final ControllerMetrics metrics = new ControllerMetrics("nodelifecycle");
  private final NodeHealth health = new NodeHealth();
  private final Map<String, EvictionQueue> zones = new HashMap<>();
  private boolean allZonesDisrupted;
  private ScheduledExecutorService loop;

  public NodeLifecycleController(ControllerContext context, NodeLifecycleSettings settings) {
    this.client = context.client();
    this.clock = context.clock();
    this.settings = settings;
    this.nodes = context.informers().of(Node.class);
    this.leases = context.informers().of(Lease.class);
    this.pods = context.informers().of(Pod.class);
    this.events = context.events("node-controller");
    this.noScheduleTainting = new NoScheduleTainting(context);
  }

  @Override
  public String name() {
    return "nodelifecycle";
  }

  @Override
  public ControllerMetrics metrics() {
    return metrics;
  }

  @Override
  public synchronized void start(int workers) {
    noScheduleTainting.start(1);
    loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("nodelifecycle").factory());
    long period = settings.monitorPeriod().toMillis();
    loop.scheduleWithFixedDelay(this::monitor, 0, period, TimeUnit.MILLISECONDS);
  }

  void monitor() {
    long start = System.nanoTime();
    boolean failed = false;
    try {
      monitorOnce(clock.instant());
    } catch (RuntimeException e) {
      failed = true;
      LOG.info("nodelifecycle: {}", e.toString());
      LOG.debug("nodelifecycle", e);
    } finally {
      metrics.reconciled(System.nanoTime() - start, failed);
    }
  }

  private void monitorOnce(Instant now) {
    List<Node> all = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Map<String, int[]> readiness = new HashMap<>();
    for (Node node : nodes.getStore().list()) {
      Node checked = checkHealth(node, now);
      // Node events taint at once; this pass catches any change they missed.
      noScheduleTainting.enqueue(checked);
      all.add(checked);
      names.add(checked.getMetadata().getName());
      int[] counts = readiness.computeIfAbsent(zoneOf(checked), z -> new int[2]);
      counts["True".equals(NodeTaints.readyStatus(checked)) ? 0 : 1]++;
    }
    health.retainOnly(names);
    Map<String, ZoneState> states = new HashMap<>();
    readiness.forEach(
        (zone, c) -> states.put(zone, ZoneState.of(c[0], c[1], settings.unhealthyZoneThreshold())));
    boolean allDown =
        !states.isEmpty() && states.values().stream().allMatch(s -> s == ZoneState.FULL_DISRUPTION);
    if (allDown) {
      if (!allZonesDisrupted) {
        LOG.info("nodelifecycle: every zone is down; not evicting until some node is ready");
      }
      allZonesDisrupted = true;
      zones.clear();
      for (Node node : all) {
        removeNoExecute(node);
      }
      return;
    }
    if (allZonesDisrupted) {
      // We were likely cut off rather than every node failing: give all nodes a fresh grace.
      allZonesDisrupted = false;
      health.resetAll(now);
    }
    zones.keySet().retainAll(states.keySet());
    states.forEach(
        (zone, state) ->
            zones
                .computeIfAbsent(zone, z -> new EvictionQueue(settings.evictionRate(), now))
                .setRate(rateFor(state, readiness.get(zone)), now));
    for (Node node : all) {
      syncNoExecuteTaint(node, now);
    }
    for (EvictionQueue queue : zones.values()) {
      Optional<String> next;
      while ((next = queue.next(now)).isPresent()) {
        Node node = nodes.getIndexer().getByKey(next.get());
        if (node != null) {
          Optional<String> wanted = NodeTaints.wantedNoExecute(node);
          if (wanted.isPresent() && !NodeTaints.has(node, wanted.get(), NodeTaints.NO_EXECUTE)) {
            setNoExecute(node, wanted.get(), now);
          }
        }
      }
    }
  }

  private double rateFor(ZoneState state, int[] counts) {
    return switch (state) {
      case NORMAL, FULL_DISRUPTION -> settings.evictionRate();
      case PARTIAL_DISRUPTION ->
          counts[0] + counts[1] > settings.largeClusterSize()
              ? settings.secondaryEvictionRate()
              : 0;
    };
  }

  private static String zoneOf(Node node) {
    return node.getMetadata().getLabels().getOrDefault(ZONE_LABEL, "");
  }

  private Node checkHealth(Node node, Instant now) {
    String name = node.getMetadata().getName();
    Lease lease = leases.getIndexer().getByKey(Cache.namespaceKeyFunc(LEASE_NAMESPACE, name));
    String renewed =
        lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null
            ? null
            : lease.getSpec().getRenewTime().toInstant().toString();
    String heartbeat =
        NodeTaints.condition(node, "Ready").map(NodeCondition::getLastHeartbeatTime).orElse(null);
    health.observe(name, renewed, heartbeat, now);
    if (!health.isStale(name, settings.gracePeriod(), now)) {
      return node;
    }
    boolean wasReady = "True".equals(NodeTaints.readyStatus(node));
    if (!UnknownConditions.needed(node)) {
      return node;
    }
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    Node updated;
    try {
      updated = client.nodes().withName(name).editStatus(n -> UnknownConditions.mark(n, at));
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404 || e.getCode() == 409) {
        return node;
      }
      throw e;
    }
    LOG.info("nodelifecycle: node {} stopped posting status; conditions now Unknown", name);
    if (wasReady) {
      events.normal(updated, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
      markPodsNotReady(name, at);
    }
    return updated;
  }

  private void markPodsNotReady(String nodeName, String at) {
    for (Pod pod : pods.getStore().list()) {
      if (!nodeName.equals(pod.getSpec().getNodeName()) || pod.getStatus() == null) {
        continue;
      }
      boolean ready =
          pod.getStatus().getConditions().stream()
              .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) {
        continue;
      }
      try {
        client
            .pods()
            .inNamespace(pod.getMetadata().getNamespace())
            .withName(pod.getMetadata().getName())
            .editStatus(
                p -> {
                  for (PodCondition c : p.getStatus().getConditions()) {
                    if ("Ready".equals(c.getType()) && !"False".equals(c.getStatus())) {
                      c.setStatus("False");
                      c.setLastTransitionTime(at);
                    }
                  }
                  return p;
                });
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404 && e.getCode() != 409) {
          throw e;
        }
      }
    }
  }

  private void syncNoExecuteTaint(Node node, Instant now) {
    EvictionQueue queue = zones.get(zoneOf(node));
    String name = node.getMetadata().getName();
    Optional<String> wanted = NodeTaints.wantedNoExecute(node);
    if (wanted.isEmpty()) {
      queue.remove(name);
      removeNoExecute(node);
      return;
    }
    if (NodeTaints.has(node, wanted.get(), NodeTaints.NO_EXECUTE)) {
      return;
    }
    boolean swapping =
        NodeTaints.has(node, NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE)
            || NodeTaints.has(node, NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE);
    if (swapping) {
      // Already being evicted: switching between not-ready and unreachable is not a new eviction.
      setNoExecute(node, wanted.get(), now);
    } else {
      queue.add(name);
    }
  }

  private void setNoExecute(Node node, String key, Instant now) {
    String at = now.truncatedTo(ChronoUnit.SECONDS).toString();
    NodeTaintEdit.apply(
        client,
        node,
        taints -> {
          taints.removeIf(
              t ->
                  NodeTaints.NO_EXECUTE.equals(t.getEffect())
                      && (NodeTaints.NOT_READY.equals(t.getKey())
                          || NodeTaints.UNREACHABLE.equals(t.getKey())));
          taints.add(NodeTaints.taint(key, NodeTaints.NO_EXECUTE, at));
        });
    LOG.info("nodelifecycle: tainted node {} with {}:NoExecute", node.getMetadata().getName(), key);
  }

  private void removeNoExecute(Node node) {
    if (!NodeTaints.has(node, NodeTaints.NOT_READY, NodeTaints.NO_EXECUTE)
        && !NodeTaints.has(node, NodeTaints.UNREACHABLE, NodeTaints.NO_EXECUTE)) {
      return;
    }
    NodeTaintEdit.apply(
        client,
        node,
        taints ->
            taints.removeIf(
                t ->
                    NodeTaints.NO_EXECUTE.equals(t.getEffect())
                        && (NodeTaints.NOT_READY.equals(t.getKey())
                            || NodeTaints.UNREACHABLE.equals(t.getKey()))));
  }

  @Override
  public synchronized void close() {
    noScheduleTainting.close();
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
    }
  }
}
