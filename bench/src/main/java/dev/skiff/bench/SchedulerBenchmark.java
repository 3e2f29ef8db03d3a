package dev.skiff.bench;

import dev.skiff.scheduler.ClusterEventHandlers;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.SchedulerMetrics;
import dev.skiff.scheduler.SchedulingLoop;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.SchedulerClient;
import dev.skiff.scheduler.framework.SchedulerConfiguration;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import dev.skiff.scheduler.queue.PodNominator;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process SchedulingBasic in the spirit of upstream's scheduler_perf: {@code ./skiff bench
 * scheduler [--nodes N] [--init-pods N] [--pods N]}. The real queue, cache, default plugins and
 * scheduling loop run against an in-memory stand-in for the API server that plays bindings back as
 * informer updates. Prints pods/s for the measured pods and the cost per pod per node.
 */
public final class SchedulerBenchmark {
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final AtomicInteger bound = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private ClusterEventHandlers handlers;

  public static void main(String[] args) throws Exception {
    int nodes = 5000;
    int initPods = 1000;
    int measuredPods = 10_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodes = Integer.parseInt(args[++i]);
        case "--init-pods" -> initPods = Integer.parseInt(args[++i]);
        case "--pods" -> measuredPods = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: SchedulerBenchmark [--nodes N] [--init-pods N] [--pods N]");
          System.exit(2);
        }
      }
    }
    new SchedulerBenchmark().run(nodes, initPods, measuredPods);
  }

  /** Upstream's node template: 4 cpu, 32Gi, 110 pods. */
  private static Node node(int i) {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("32Gi"), "pods", new Quantity("110"));
    return new NodeBuilder()
        .withNewMetadata()
        .withName("node-" + i)
        .withUid("node-uid-" + i)
        .withLabels(Map.of("kubernetes.io/hostname", "node-" + i))
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .withCapacity(capacity)
        .withAllocatable(capacity)
        .endStatus()
        .build();
  }

  /** Upstream's pod-default template: one container requesting 100m cpu and 500Mi memory. */
  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("sched-test")
        .withUid("uid-" + name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("pause")
        .withImage("registry.k8s.io/pause:3.10")
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("500Mi")))
        .endResources()
        .endContainer()
        .withSchedulerName("default-scheduler")
        .endSpec()
        .build();
  }

  private final class InMemoryApi implements SchedulerClient {
    @Override
    public void bind(Pod pod, String nodeName) {
      String key = PodInfo.keyOf(pod);
      Pod old = pods.get(key);
      Pod updated = new PodBuilder(old).editSpec().withNodeName(nodeName).endSpec().build();
      pods.put(key, updated);
      bound.incrementAndGet();
      handlers.podUpdated(old, updated);
    }

    @Override
    public void updatePodStatus(Pod pod, PodCondition condition, String nominatedNodeName) {
      failed.incrementAndGet();
    }

    @Override
    public void recordEvent(Pod pod, String type, String reason, String action, String message) {}

    @Override
    public void preemptPod(Pod victim, Pod preemptor, String nodeName) {
      throw new IllegalStateException("SchedulingBasic never preempts");
    }

    @Override
    public void bindVolume(PersistentVolume volume, PersistentVolumeClaim claim) {}

    @Override
    public void selectNodeForClaim(PersistentVolumeClaim claim, String nodeName) {}
  }

  private void run(int nodeCount, int initPods, int measuredPods) throws InterruptedException {
    SchedulerConfiguration config = KubeSchedulerConfiguration.defaults();
    SchedulerCache cache = new SchedulerCache();
    ClusterObjects objects = new ClusterObjects();
    PodNominator nominator = new PodNominator();
    SchedulerClient api = new InMemoryApi();
    Framework fw =
        new Framework(
            config.profiles().getFirst(), DefaultPlugins.registry(), objects, api, nominator);
    SchedulingQueue queue =
        new SchedulingQueue(
            fw.queueSort().comparator(),
            config.podInitialBackoff(),
            config.podMaxBackoff(),
            fw::eventsFor,
            System::nanoTime);
    SchedulerMetrics metrics = new SchedulerMetrics(queue::sizes);
    SchedulingLoop loop =
        new SchedulingLoop(
            cache,
            queue,
            Map.of(fw.schedulerName(), fw),
            config.percentageOfNodesToScore(),
            api,
            nominator,
            Runnable::run,
            metrics);
    handlers =
        new ClusterEventHandlers(
            cache, queue, nominator, objects, java.util.Set.of(fw.schedulerName()));
    for (int i = 0; i < nodeCount; i++) {
      handlers.nodeAdded(node(i));
    }
    schedule(queue, loop, "init", initPods);
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    schedule(queue, loop, "measured", measuredPods);
    long elapsed = System.nanoTime() - start;
    long cpu = threads.getCurrentThreadCpuTime() - cpuStart;
    if (bound.get() != initPods + measuredPods || failed.get() != 0) {
      throw new IllegalStateException(
          "expected every pod bound: bound=" + bound.get() + " failed=" + failed.get());
    }
    double seconds = elapsed / 1e9;
    System.out.printf(
        "SchedulingBasic: %d nodes, %d pods placed first, %d pods measured%n",
        nodeCount, initPods, measuredPods);
    System.out.printf(
        "  throughput: %.0f pods/s wall clock (%.3f s); %.0f pods/s of scheduler thread CPU"
            + " (%.3f s)%n",
        measuredPods / seconds, seconds, measuredPods / (cpu / 1e9), cpu / 1e9);
    System.out.printf(
        "  cost: %.1f us per pod; %.1f ns per pod per node (wall clock), %.1f ns (CPU)%n",
        elapsed / 1e3 / measuredPods,
        (double) elapsed / measuredPods / nodeCount,
        (double) cpu / measuredPods / nodeCount);
    System.out.printf(
        "  machine load average at the end: %.2f on %d cores%n",
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
  }

  private void schedule(SchedulingQueue queue, SchedulingLoop loop, String prefix, int count)
      throws InterruptedException {
    for (int i = 0; i < count; i++) {
      Pod p = pod(prefix + "-" + i);
      pods.put(PodInfo.keyOf(p), p);
      handlers.podAdded(p);
    }
    while (loop.scheduleNext(Duration.ZERO)) {
      // until the active queue drains
    }
  }
}
