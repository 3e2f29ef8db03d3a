package dev.skiff.network.proxy;

import dev.skiff.api.informers.RelistingInformer;
import dev.skiff.network.informers.InformerSync;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy's iptables mode as a component: informers on Services and EndpointSlices (through the
 * API server only) trigger syncs, at most one per {@code minSyncInterval}, each writing only what
 * changed. A failed sync is retried. With {@link #serveHealthChecks} it also answers kube-proxy's
 * health checks. {@link #close()} stops watching and removes every rule it added.
 */
public final class ServiceProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration RESYNC = Duration.ofSeconds(30);
  // kube-proxy's: twice the sync period.
  private static final Duration HEALTH_TIMEOUT = RESYNC.multipliedBy(2);
  private static final String TO_BE_DELETED_TAINT = "ToBeDeletedByClusterAutoscaler";

  private final KubernetesClient client;
  private final ProxyConfig config;
  private final IptablesSyncer syncer;
  private final ProxyHealth health = new ProxyHealth(Clock.systemUTC(), HEALTH_TIMEOUT);
  private ServiceHealthServer serviceHealth;
  private ProxyHealthServer healthz;
  private SharedIndexInformer<Node> node;
  private final long minIntervalNanos;
  private final ScheduledThreadPoolExecutor loop = singleThreadLoop("service-proxy");
  private final AtomicLong syncs = new AtomicLong();
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<EndpointSlice> slices;
  private boolean scheduled;
  private long lastSyncNanos;
  private volatile boolean closed;

  public ServiceProxy(
      KubernetesClient client, ProxyConfig config, Iptables iptables, Duration minSyncInterval) {
    this.client = client;
    this.config = config;
    this.syncer = new IptablesSyncer(config, iptables);
    this.minIntervalNanos = minSyncInterval.toNanos();
  }

  /**
   * Serves health checks as kube-proxy does, from {@link #start()} on: {@code /healthz} and {@code
   * /livez} on {@code healthzPort} (0 picks a free one), and each {@code healthCheckNodePort} of a
   * LoadBalancer Service with the Local external traffic policy, all on {@code address}. When
   * {@code healthzPort} cannot be opened the Services' checks are served all the same.
   */
  public void serveHealthChecks(String address, int healthzPort) throws IOException {
    serviceHealth = new ServiceHealthServer(address, health);
    healthz = new ProxyHealthServer(health, address, healthzPort);
  }

  /** The port of {@code /healthz}, once {@link #serveHealthChecks} has opened it. */
  public int healthzPort() {
    return healthz.port();
  }

  /** Starts watching; returns once both caches are filled, so the first sync sees everything. */
  public void start() {
    ResourceEventHandler<Object> poke =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Object obj) {
            requestSync();
          }

          @Override
          public void onUpdate(Object oldObj, Object newObj) {
            requestSync();
          }

          @Override
          public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
            requestSync();
          }
        };
    services = RelistingInformer.of(client.services().inAnyNamespace());
    services.addEventHandler(cast(poke));
    slices = RelistingInformer.of(client.discovery().v1().endpointSlices().inAnyNamespace());
    slices.addEventHandler(cast(poke));
    if (serviceHealth != null) {
      watchNodeEligibility();
    }
    InformerSync.await(services, slices);
    loop.scheduleWithFixedDelay(
        this::requestSync, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    requestSync();
  }

  /** The node stops being eligible for load-balancer traffic when it is on its way out. */
  private void watchNodeEligibility() {
    node = RelistingInformer.of(client.nodes().withName(config.nodeName()));
    node.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Node n) {
            health.nodeEligible(eligible(n));
          }

          @Override
          public void onUpdate(Node oldNode, Node n) {
            health.nodeEligible(eligible(n));
          }

          @Override
          public void onDelete(Node n, boolean deletedFinalStateUnknown) {
            health.nodeEligible(false);
          }
        });
    node.start();
  }

  private static boolean eligible(Node n) {
    if (n.getMetadata().getDeletionTimestamp() != null) {
      return false;
    }
    return n.getSpec() == null
        || n.getSpec().getTaints() == null
        || n.getSpec().getTaints().stream().noneMatch(t -> TO_BE_DELETED_TAINT.equals(t.getKey()));
  }

  @SuppressWarnings("unchecked")
  private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
    return (ResourceEventHandler<T>) handler;
  }

  /** Completed syncs so far (for tests and metrics). */
  public long syncCount() {
    return syncs.get();
  }

  private synchronized void requestSync() {
    if (scheduled || closed) {
      return;
    }
    health.queued();
    scheduled = true;
    long wait = Math.max(0, lastSyncNanos + minIntervalNanos - System.nanoTime());
    loop.schedule(this::sync, wait, TimeUnit.NANOSECONDS);
  }

  private void sync() {
    synchronized (this) {
      scheduled = false;
      lastSyncNanos = System.nanoTime();
      if (closed) {
        return;
      }
    }
    try {
      List<Service> allServices = services.getStore().list();
      List<EndpointSlice> allSlices = slices.getStore().list();
      var result = syncer.sync(allServices, allSlices);
      health.updated();
      if (serviceHealth != null) {
        serviceHealth.sync(HealthCheckInputs.checks(allServices, allSlices, config.nodeName()));
      }
      syncs.incrementAndGet();
      LOG.debug(
          "iptables {} sync: {} rules, {} bytes written",
          result.full() ? "full" : "partial",
          result.rules(),
          result.bytesWritten());
    } catch (IOException | RuntimeException e) {
      LOG.warn("iptables sync failed, retrying in {}", RETRY, e);
      loop.schedule(this::requestSync, RETRY.toMillis(), TimeUnit.MILLISECONDS);
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
    synchronized (this) {
      closed = true;
    }
    if (services != null) {
      services.close();
    }
    if (slices != null) {
      slices.close();
    }
    if (node != null) {
      node.close();
    }
    // Let a sync in flight finish (it sees closed and stops short next time); drop pending ones.
    loop.shutdown();
    try {
      loop.awaitTermination(10, TimeUnit.SECONDS);
      syncer.cleanup();
    } catch (IOException e) {
      LOG.warn("could not remove the service proxy's iptables rules", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // After the loop: a sync in flight may still have opened a listener.
    if (serviceHealth != null) {
      serviceHealth.close();
    }
    if (healthz != null) {
      healthz.close();
    }
  }
}
