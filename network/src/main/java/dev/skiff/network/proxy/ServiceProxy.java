package dev.skiff.network.proxy;

import dev.skiff.network.informers.InformerSync;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-proxy's iptables mode as a component: informers on Services and EndpointSlices (through the
 * API server only) trigger syncs, at most one per {@code minSyncInterval}, each writing only what
 * changed. A failed sync is retried. {@link #close()} stops watching and removes every rule it
 * added.
 */
public final class ServiceProxy implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceProxy.class);
  private static final Duration RETRY = Duration.ofSeconds(1);
  private static final Duration RESYNC = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final IptablesSyncer syncer;
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
    this.syncer = new IptablesSyncer(config, iptables);
    this.minIntervalNanos = minSyncInterval.toNanos();
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
    services = client.services().inAnyNamespace().runnableInformer(0);
    services.addEventHandler(cast(poke));
    slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
    slices.addEventHandler(cast(poke));
    InformerSync.await(services, slices);
    loop.scheduleWithFixedDelay(
        this::requestSync, RESYNC.toMillis(), RESYNC.toMillis(), TimeUnit.MILLISECONDS);
    requestSync();
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
      var result = syncer.sync(services.getStore().list(), slices.getStore().list());
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
  }
}
