package dev.skiff.scheduler;

import dev.skiff.api.informers.RelistingInformer;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.ClusterEvent.Action;
import dev.skiff.scheduler.framework.ClusterEvent.Kind;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.ProfileConfig;
import dev.skiff.scheduler.framework.SchedulerClient;
import dev.skiff.scheduler.framework.SchedulerConfiguration;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import dev.skiff.scheduler.queue.PodNominator;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kube-scheduler as a plain object: watches the cluster through the API server, schedules pending
 * pods with the configured profiles and binds them. With leader election on (the default), only the
 * holder of the kube-system/kube-scheduler Lease schedules.
 */
public final class Scheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration CACHE_SYNC_TIMEOUT = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final SchedulerConfiguration config;
  private final String identity;
  private final SchedulerCache cache = new SchedulerCache();
  private final ClusterObjects objects = new ClusterObjects();
  private final PodNominator nominator = new PodNominator();
  private final SchedulingQueue queue;
  private final SchedulingLoop loop;
  private final SchedulerMetrics metrics;
  private final ClusterEventHandlers handlers;
  private final ExecutorService binder = Executors.newVirtualThreadPerTaskExecutor();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private final List<MetricsServer> metricsServers = new ArrayList<>();
  private ScheduledExecutorService timers;
  private Thread schedulingThread;
  private CompletableFuture<?> election;
  private volatile boolean leading;
  private volatile boolean closed;

  /**
   * @throws IllegalArgumentException when a profile is invalid (unknown plugin, bad args)
   */
  public Scheduler(KubernetesClient client, SchedulerConfiguration config) {
    this(client, config, hostname() + "_" + UUID.randomUUID());
  }

  /**
   * @param identity this instance's holder name in the leader-election Lease
   * @throws IllegalArgumentException when a profile is invalid (unknown plugin, bad args)
   */
  public Scheduler(KubernetesClient client, SchedulerConfiguration config, String identity) {
    this.client = client;
    this.config = config;
    this.identity = identity;
    SchedulerClient writes = new Fabric8SchedulerClient(client, identity);
    Map<String, Framework> profiles = new LinkedHashMap<>();
    for (ProfileConfig p : config.profiles()) {
      profiles.put(
          p.schedulerName(),
          new Framework(p, DefaultPlugins.registry(), objects, writes, nominator));
    }
    Framework first = profiles.values().iterator().next();
    this.queue =
        new SchedulingQueue(
            first.queueSort().comparator(),
            config.podInitialBackoff(),
            config.podMaxBackoff(),
            first::eventsFor,
            System::nanoTime);
    this.metrics = new SchedulerMetrics(queue::sizes);
    this.loop =
        new SchedulingLoop(
            cache,
            queue,
            profiles,
            config.percentageOfNodesToScore(),
            writes,
            nominator,
            binder,
            metrics);
    this.handlers = new ClusterEventHandlers(cache, queue, nominator, objects, profiles.keySet());
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  /** Starts watching, then schedules (at once, or when this instance becomes the leader). */
  public synchronized void start() {
    startInformers();
    timers =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("scheduler-queue-flush").factory());
    timers.scheduleWithFixedDelay(queue::flushBackoffCompleted, 1, 1, TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(queue::flushUnschedulableLeftover, 30, 30, TimeUnit.SECONDS);
    var le = config.leaderElection();
    if (!le.leaderElect()) {
      startScheduling();
      return;
    }
    var lec =
        new LeaderElectionConfigBuilder()
            .withName("kube-scheduler")
            .withLock(new LeaseLock(le.resourceNamespace(), le.resourceName(), identity))
            .withLeaseDuration(le.leaseDuration())
            .withRenewDeadline(le.renewDeadline())
            .withRetryPeriod(le.retryPeriod())
            .withReleaseOnCancel()
            .withLeaderCallbacks(
                new LeaderCallbacks(
                    this::startScheduling,
                    this::stopScheduling,
                    leader -> {
                      if (leader != null) {
                        LOG.info("new leader elected: {}", leader);
                      }
                    }))
            .build();
    election = client.leaderElector().withConfig(lec).build().start();
  }

  private <T extends HasMetadata> void inform(
      Informable<T> source, Consumer<T> add, BiConsumer<T, T> update, Consumer<T> delete) {
    SharedIndexInformer<T> informer = RelistingInformer.of(source);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T obj) {
            add.accept(obj);
          }

          @Override
          public void onUpdate(T oldObj, T newObj) {
            update.accept(oldObj, newObj);
          }

          @Override
          public void onDelete(T obj, boolean deletedFinalStateUnknown) {
            delete.accept(obj);
          }
        });
    informer.start();
    informers.add(informer);
  }

  private <T extends HasMetadata> void informObjects(
      Informable<T> source, Consumer<T> put, Consumer<T> remove, Kind kind) {
    inform(
        source,
        handlers.upsert(put, kind, Action.ADD),
        (o, n) -> handlers.upsert(put, kind, Action.UPDATE).accept(n),
        handlers.upsert(remove, kind, Action.DELETE));
  }

  private void startInformers() {
    inform(client.nodes(), handlers::nodeAdded, handlers::nodeUpdated, handlers::nodeDeleted);
    inform(
        client.pods().inAnyNamespace(),
        handlers::podAdded,
        handlers::podUpdated,
        handlers::podDeleted);
    informObjects(
        client.persistentVolumeClaims().inAnyNamespace(),
        objects::putClaim,
        objects::removeClaim,
        Kind.PERSISTENT_VOLUME_CLAIM);
    informObjects(
        client.persistentVolumes(),
        objects::putVolume,
        objects::removeVolume,
        Kind.PERSISTENT_VOLUME);
    informObjects(
        client.storage().v1().storageClasses(),
        objects::putStorageClass,
        objects::removeStorageClass,
        Kind.STORAGE_CLASS);
    informObjects(
        client.storage().v1().csiNodes(),
        objects::putCsiNode,
        objects::removeCsiNode,
        Kind.CSI_NODE);
    informObjects(
        client.namespaces(), objects::putNamespace, objects::removeNamespace, Kind.NAMESPACE);
    inform(
        client.policy().v1().podDisruptionBudget().inAnyNamespace(),
        objects::putDisruptionBudget,
        (o, n) -> objects.putDisruptionBudget(n),
        objects::removeDisruptionBudget);
    inform(
        client.scheduling().v1().priorityClasses(),
        objects::putPriorityClass,
        (o, n) -> objects.putPriorityClass(n),
        objects::removePriorityClass);
    inform(
        client.services().inAnyNamespace(),
        objects::putService,
        (o, n) -> objects.putService(n),
        objects::removeService);
    inform(
        client.apps().replicaSets().inAnyNamespace(),
        rs ->
            handlers.workload(
                "ReplicaSet", rs, LabelSelector.fromModel(rs.getSpec().getSelector())),
        (o, rs) ->
            handlers.workload(
                "ReplicaSet", rs, LabelSelector.fromModel(rs.getSpec().getSelector())),
        rs -> handlers.workload("ReplicaSet", rs, null));
    inform(
        client.apps().statefulSets().inAnyNamespace(),
        ss ->
            handlers.workload(
                "StatefulSet", ss, LabelSelector.fromModel(ss.getSpec().getSelector())),
        (o, ss) ->
            handlers.workload(
                "StatefulSet", ss, LabelSelector.fromModel(ss.getSpec().getSelector())),
        ss -> handlers.workload("StatefulSet", ss, null));
    inform(
        client.replicationControllers().inAnyNamespace(),
        rc -> handlers.workload("ReplicationController", rc, rcSelector(rc)),
        (o, rc) -> handlers.workload("ReplicationController", rc, rcSelector(rc)),
        rc -> handlers.workload("ReplicationController", rc, null));
  }

  // As upstream, schedule only once nodes and pods are listed, so early pods see every node.
  private void waitForCacheSync() {
    long deadline = System.nanoTime() + CACHE_SYNC_TIMEOUT.toNanos();
    for (SharedIndexInformer<?> informer : informers.subList(0, 2)) {
      while (!informer.hasSynced() && System.nanoTime() < deadline && !closed) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      if (!informer.hasSynced()) {
        LOG.warn(
            "{} not synced after {}; scheduling anyway",
            informer.getApiTypeClass().getSimpleName(),
            CACHE_SYNC_TIMEOUT);
      }
    }
  }

  private static LabelSelector rcSelector(ReplicationController rc) {
    var sel = rc.getSpec() == null ? null : rc.getSpec().getSelector();
    return sel == null || sel.isEmpty() ? LabelSelector.nothing() : LabelSelector.fromMap(sel);
  }

  private void startScheduling() {
    waitForCacheSync();
    synchronized (this) {
      startLoop();
    }
  }

  private void startLoop() {
    if (closed || leading) {
      return;
    }
    leading = true;
    LOG.info("scheduler {} starts scheduling", identity);
    schedulingThread =
        Thread.ofPlatform()
            .name("scheduler")
            .start(
                () -> {
                  while (leading && !closed) {
                    try {
                      loop.scheduleNext(Duration.ofMillis(200));
                    } catch (InterruptedException e) {
                      return;
                    } catch (RuntimeException e) {
                      LOG.error("scheduling cycle failed", e);
                    }
                  }
                });
  }

  private synchronized void stopScheduling() {
    if (leading) {
      LOG.info("scheduler {} lost leadership, stops scheduling", identity);
    }
    leading = false;
  }

  /** Whether this instance is scheduling (it holds the lease, or election is off). */
  public boolean isLeader() {
    return leading;
  }

  public String identity() {
    return identity;
  }

  /** The Prometheus text of {@code /metrics}. */
  public String metricsText() {
    return metrics.render();
  }

  /**
   * Serves {@code /metrics} and {@code /healthz} until {@link #close}.
   *
   * @param address e.g. 127.0.0.1:10259 (kube-scheduler's port); port 0 picks a free one
   */
  public synchronized MetricsServer serveMetrics(java.net.InetSocketAddress address)
      throws java.io.IOException {
    MetricsServer server = new MetricsServer(address, metrics::render);
    metricsServers.add(server);
    return server;
  }

  @Override
  public synchronized void close() {
    closed = true;
    leading = false;
    if (election != null) {
      election.cancel(true);
    }
    queue.close();
    if (schedulingThread != null) {
      schedulingThread.interrupt();
      try {
        schedulingThread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (timers != null) {
      timers.shutdownNow();
    }
    informers.forEach(SharedIndexInformer::close);
    metricsServers.forEach(MetricsServer::close);
    metrics.close();
    binder.shutdown();
  }
}
