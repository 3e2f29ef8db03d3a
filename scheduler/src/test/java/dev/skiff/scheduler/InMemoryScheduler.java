package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.ProfileConfig;
import dev.skiff.scheduler.framework.SchedulerConfiguration;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import dev.skiff.scheduler.queue.PodNominator;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduler's real queue, cache, plugins and loop over an in-memory "API server": bindings and
 * deletions are played back as informer events, the clock is manual and binding runs when told.
 */
public final class InMemoryScheduler {
  public final FakeSchedulerClient client = new FakeSchedulerClient();
  public final ClusterObjects objects = new ClusterObjects();
  public final SchedulerCache cache = new SchedulerCache();
  public final PodNominator nominator = new PodNominator();
  public final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  public final SchedulingQueue queue;
  public final SchedulingLoop loop;
  public final ClusterEventHandlers handlers;
  public final SchedulerMetrics metrics;

  /** Pods as the API server would hold them now. */
  public final Map<String, Pod> pods = new ConcurrentHashMap<>();

  private final Queue<Runnable> pendingBindings = new ArrayDeque<>();
  private boolean bindInline = true;

  public InMemoryScheduler() {
    this(KubeSchedulerConfiguration.defaults());
  }

  public InMemoryScheduler(SchedulerConfiguration config) {
    Map<String, Framework> profiles = new LinkedHashMap<>();
    for (ProfileConfig p : config.profiles()) {
      profiles.put(
          p.schedulerName(),
          new Framework(p, DefaultPlugins.registry(), objects, client, nominator));
    }
    Framework first = profiles.values().iterator().next();
    queue =
        new SchedulingQueue(
            first.queueSort().comparator(),
            config.podInitialBackoff(),
            config.podMaxBackoff(),
            first::eventsFor,
            nanos::get);
    metrics = new SchedulerMetrics(queue::sizes);
    loop =
        new SchedulingLoop(
            cache,
            queue,
            profiles,
            config.percentageOfNodesToScore(),
            client,
            nominator,
            this::bindLater,
            metrics);
    handlers = new ClusterEventHandlers(cache, queue, nominator, objects, profiles.keySet());
    client.onBind =
        (pod, node) -> {
          Pod old = pods.get(dev.skiff.scheduler.cache.PodInfo.keyOf(pod));
          Pod bound = new PodBuilder(old).editSpec().withNodeName(node).endSpec().build();
          pods.put(dev.skiff.scheduler.cache.PodInfo.keyOf(pod), bound);
          handlers.podUpdated(old, bound);
        };
    client.onStatus =
        (pod, u) -> {
          Pod old = pods.get(u.pod());
          if (old == null) {
            return;
          }
          PodBuilder b = new PodBuilder(old);
          if (u.condition() != null) {
            b.editStatus().withConditions(u.condition()).endStatus();
          }
          if (u.nominatedNodeName() != null) {
            b.editStatus()
                .withNominatedNodeName(
                    u.nominatedNodeName().isEmpty() ? null : u.nominatedNodeName())
                .endStatus();
          }
          Pod updated = b.build();
          pods.put(u.pod(), updated);
          handlers.podUpdated(old, updated);
        };
    client.onPreempt = victim -> deletePod(dev.skiff.scheduler.cache.PodInfo.keyOf(victim));
  }

  private synchronized void bindLater(Runnable r) {
    if (bindInline) {
      r.run();
    } else {
      pendingBindings.add(r);
    }
  }

  /** Holds binding cycles until {@link #runBindings}, as a slow API server would. */
  public synchronized void holdBindings() {
    bindInline = false;
  }

  public void runBindings() {
    Runnable r;
    while ((r = next()) != null) {
      r.run();
    }
    synchronized (this) {
      bindInline = true;
    }
  }

  private synchronized Runnable next() {
    return pendingBindings.poll();
  }

  public void addNode(Node node) {
    handlers.nodeAdded(node);
  }

  public void updateNode(Node old, Node node) {
    handlers.nodeUpdated(old, node);
  }

  /** Creates a pod; pods with a nodeName count as already running there. */
  public void createPod(Pod pod) {
    pods.put(dev.skiff.scheduler.cache.PodInfo.keyOf(pod), pod);
    handlers.podAdded(pod);
  }

  public void deletePod(String key) {
    Pod p = pods.remove(key);
    if (p != null) {
      handlers.podDeleted(p);
    }
  }

  /** Runs scheduling cycles until the active queue is empty. */
  public void scheduleAll() {
    try {
      while (loop.scheduleNext(Duration.ZERO)) {
        // keep going
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Moves the clock past every backoff and flushes the backoff queue. */
  public void passBackoff() {
    nanos.addAndGet(Duration.ofSeconds(11).toNanos());
    queue.flushBackoffCompleted();
  }

  public String nodeOf(String podName) {
    return client.bindings.get("default/" + podName);
  }
}
