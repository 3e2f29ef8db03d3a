package dev.skiff.bench;

import dev.skiff.api.informers.RelistingInformer;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.scheduler.ClusterEventHandlers;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.Scheduler;
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
import dev.skiff.storage.sqlite.SqliteStore;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * In-process SchedulingBasic in the spirit of upstream's scheduler_perf: {@code ./skiff bench
 * scheduler [--nodes N] [--init-pods N] [--pods N]}. The real queue, cache, default plugins and
 * scheduling loop run against an in-memory stand-in for the API server that plays bindings back as
 * informer updates. Prints pods/s for the measured pods and the cost per pod per node. With {@code
 * --through-apiserver}: 1,000 fake nodes and 3,000 pods created by 16 clients against a real API
 * server, after 2,000 warm-up pods that are placed but not measured.
 */
public final class SchedulerBenchmark {
  private final Map<String, Pod> pods = new ConcurrentHashMap<>();
  private final AtomicInteger bound = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private ClusterEventHandlers handlers;

  public static void main(String[] args) throws Exception {
    Integer nodesArg = null;
    int initPods = 1000;
    Integer podsArg = null;
    boolean throughApiServer = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--nodes" -> nodesArg = Integer.parseInt(args[++i]);
        case "--init-pods" -> initPods = Integer.parseInt(args[++i]);
        case "--pods" -> podsArg = Integer.parseInt(args[++i]);
        case "--through-apiserver" -> throughApiServer = true;
        default -> {
          System.err.println(
              "usage: SchedulerBenchmark [--nodes N] [--init-pods N] [--pods N]"
                  + " [--through-apiserver]");
          System.exit(2);
        }
      }
    }
    // SchedulingBasic's 5,000 nodes and 10,000 pods in process; 1,000 and 3,000 through the server.
    int nodes = nodesArg != null ? nodesArg : throughApiServer ? 1000 : 5000;
    int measuredPods = podsArg != null ? podsArg : throughApiServer ? 3000 : 10_000;
    if (throughApiServer) {
      ThroughApiServer.run(nodes, measuredPods, 16);
    } else {
      new SchedulerBenchmark().run(nodes, initPods, measuredPods);
    }
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

  /**
   * The scheduler through a real API server (plain HTTP on loopback, SQLite store): fake nodes are
   * registered, then concurrent clients create pods; the time runs from the first create to the
   * last binding seen by a watch.
   */
  private static final class ThroughApiServer {
    private static final String WARM_UP_PREFIX = "warm-up-";
    private static final int WARM_UP_PODS = 2000;

    private ThroughApiServer() {}

    static void run(int nodes, int pods, int clients) throws Exception {
      Path dir = Files.createTempDirectory("skiff-sched-bench");
      try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"))) {
        ApiServer server =
            new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
        server.start();
        try (KubernetesClient client = client(server.port())) {
          measure(client, server.port(), nodes, pods, clients);
        } finally {
          server.close();
        }
      } finally {
        try (Stream<Path> files = Files.walk(dir)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }

    private static KubernetesClient client(int port) {
      Config config =
          new ConfigBuilder(Config.empty())
              .withMasterUrl("http://127.0.0.1:" + port)
              .withOnlyHttpWatches(true)
              .withMaxConcurrentRequests(256)
              .withMaxConcurrentRequestsPerHost(256)
              .withRequestTimeout(60_000)
              .build();
      return new KubernetesClientBuilder().withConfig(config).build();
    }

    private static void measure(KubernetesClient client, int port, int nodes, int pods, int clients)
        throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      Map<String, Quantity> capacity =
          Map.of(
              "cpu",
              new Quantity("4"),
              "memory",
              new Quantity("32Gi"),
              "pods",
              new Quantity("110"));
      parallel(
          pool,
          nodes,
          i ->
              client
                  .nodes()
                  .resource(
                      new NodeBuilder()
                          .withNewMetadata()
                          .withName("node-" + i)
                          .withLabels(Map.of("kubernetes.io/hostname", "node-" + i))
                          .endMetadata()
                          .withNewStatus()
                          .withCapacity(capacity)
                          .withAllocatable(capacity)
                          .endStatus()
                          .build())
                  .create());
      Set<String> bound = ConcurrentHashMap.newKeySet();
      CountDownLatch allBound = new CountDownLatch(pods);
      CountDownLatch warmUpBound = new CountDownLatch(WARM_UP_PODS);
      var watch = RelistingInformer.of(client.pods().inNamespace("default"));
      watch.addEventHandler(
          new ResourceEventHandler<Pod>() {
            @Override
            public void onAdd(Pod p) {
              onUpdate(null, p);
            }

            @Override
            public void onUpdate(Pod old, Pod p) {
              String name = p.getMetadata().getName();
              if (p.getSpec().getNodeName() != null && bound.add(name)) {
                (name.startsWith(WARM_UP_PREFIX) ? warmUpBound : allBound).countDown();
              }
            }

            @Override
            public void onDelete(Pod p, boolean unknown) {}
          });
      watch.start().toCompletableFuture().get(60, TimeUnit.SECONDS);
      SchedulerConfiguration config =
          KubeSchedulerConfiguration.parse("leaderElection: {leaderElect: false}");
      try (Scheduler scheduler = new Scheduler(client, config)) {
        scheduler.start();
        // Lean keep-alive clients, one per pool thread, as the API server benchmark's: fabric8's
        // client in this JVM would cost more CPU than the server's create path it measures.
        List<ApiServerBenchmarkHttp> connections = new CopyOnWriteArrayList<>();
        ThreadLocal<ApiServerBenchmarkHttp> http =
            ThreadLocal.withInitial(
                () -> {
                  ApiServerBenchmarkHttp c = new ApiServerBenchmarkHttp(port);
                  connections.add(c);
                  return c;
                });
        // As upstream's scheduler_perf places its init pods first: the JIT compiles the create
        // and scheduling paths on pods that are not measured.
        createPods(pool, http, WARM_UP_PREFIX, WARM_UP_PODS);
        if (!warmUpBound.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("the warm-up pods were not all bound");
        }
        long start = System.nanoTime();
        createPods(pool, http, "pod-", pods);
        long created = System.nanoTime();
        if (!allBound.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException("only " + bound.size() + " of " + pods + " pods bound");
        }
        long end = System.nanoTime();
        double seconds = (end - start) / 1e9;
        System.out.printf(
            "Through the API server: %d nodes, %d pods created by %d clients%n",
            nodes, pods, clients);
        System.out.printf(
            "  first create to last bind: %.3f s (%.0f pods/s); creates took %.3f s%n",
            seconds, pods / seconds, (created - start) / 1e9);
        for (ApiServerBenchmarkHttp c : connections) {
          c.close();
        }
      } finally {
        watch.close();
        pool.shutdownNow();
      }
    }

    private static void createPods(
        ExecutorService pool, ThreadLocal<ApiServerBenchmarkHttp> http, String prefix, int count)
        throws Exception {
      parallel(
          pool,
          count,
          i -> {
            ApiServerBenchmarkHttp.Response r =
                http.get()
                    .send(
                        "POST",
                        "/api/v1/namespaces/default/pods",
                        podJson(prefix + i).getBytes(StandardCharsets.UTF_8));
            if (r.status() != 201) {
              throw new IllegalStateException(
                  "pod create: " + r.status() + " " + new String(r.body(), StandardCharsets.UTF_8));
            }
          });
    }

    /** A pod as the scheduler sees one from a Deployment: one container with requests. */
    private static String podJson(String name) {
      return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\""
          + name
          + "\"},\"spec\":{\"containers\":[{\"name\":\"pause\","
          + "\"image\":\"registry.k8s.io/pause:3.10\",\"resources\":{\"requests\":"
          + "{\"cpu\":\"100m\",\"memory\":\"500Mi\"}}}]}}";
    }

    private interface Task {
      void run(int i) throws Exception;
    }

    private static void parallel(ExecutorService pool, int count, Task task) throws Exception {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int n = i;
        futures.add(
            pool.submit(
                () -> {
                  task.run(n);
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    }
  }
}
