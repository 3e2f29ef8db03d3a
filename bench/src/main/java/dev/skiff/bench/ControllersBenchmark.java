package dev.skiff.bench;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.Scheduler;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Deployment scale-out: {@code ./skiff bench controllers [--replicas N] [--nodes N] [--workers N]}.
 * Starts Skiff's API server on loopback over SQLite in a temporary directory, registers fake nodes
 * (4 cpu, 32Gi, 110 pods each, as upstream's scheduler_perf), creates one Deployment and times the
 * Deployment and ReplicaSet controllers and the scheduler, all talking HTTP to it, until every pod
 * exists and until every pod is bound.
 */
public final class ControllersBenchmark {
  private ControllersBenchmark() {}

  public static void main(String[] args) throws Exception {
    IntOptions options =
        new IntOptions("ControllersBenchmark")
            .with("--replicas", 3000)
            .with("--nodes", 1000)
            .with("--workers", 5)
            .parse(args);
    int replicas = options.get("--replicas");
    int nodes = options.get("--nodes");
    int workers = options.get("--workers");
    Path dataDir = Files.createTempDirectory("skiff-bench-controllers");
    Store store = Stores.open(null, dataDir);
    ApiServer server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(Config.empty())
                    .withMasterUrl("http://127.0.0.1:" + server.port())
                    // The API server does not serve watches over WebSocket yet.
                    .withOnlyHttpWatches(true)
                    .withMaxConcurrentRequests(256)
                    .withMaxConcurrentRequestsPerHost(256)
                    .withRequestTimeout(60_000)
                    .build())
            .build();
    registerNodes(client, nodes);
    Informers informers = new Informers(client);
    ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC());
    var replicaSets = ReplicaSetController.forReplicaSets(context);
    var deployments = new DeploymentController(context);
    informers.start(Duration.ofSeconds(30));
    replicaSets.start(workers);
    deployments.start(workers);
    Scheduler scheduler =
        new Scheduler(
            client, KubeSchedulerConfiguration.parse("leaderElection: {leaderElect: false}"));
    scheduler.start();

    CountDownLatch created = new CountDownLatch(replicas);
    CountDownLatch bound = new CountDownLatch(replicas);
    Set<String> seenBound = ConcurrentHashMap.newKeySet();
    Watch watch =
        client
            .pods()
            .inNamespace("default")
            .watch(
                new Watcher<Pod>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    if (action == Action.ADDED) {
                      created.countDown();
                    }
                    if (action != Action.DELETED
                        && pod.getSpec().getNodeName() != null
                        && seenBound.add(pod.getMetadata().getName())) {
                      bound.countDown();
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    long start = System.nanoTime();
    client
        .resource(
            new DeploymentBuilder()
                .withNewMetadata()
                .withName("scale")
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(Map.of("app", "scale"))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(Map.of("app", "scale"))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("app")
                .withImage("registry.local/app:1")
                .withNewResources()
                .withRequests(Map.of("cpu", new Quantity("100m"), "memory", new Quantity("500Mi")))
                .endResources()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    boolean allCreated = created.await(10, TimeUnit.MINUTES);
    double createdSeconds = (System.nanoTime() - start) / 1e9;
    boolean allBound = bound.await(10, TimeUnit.MINUTES);
    double boundSeconds = (System.nanoTime() - start) / 1e9;
    watch.close();
    System.out.printf(
        "deployment of %d replicas on %d fake nodes, controllers + scheduler:%n", replicas, nodes);
    System.out.printf(
        "  %s in %.2f s (%.0f pods/s)%n",
        allCreated ? "all pods created" : (replicas - created.getCount()) + " pods created",
        createdSeconds,
        (replicas - created.getCount()) / createdSeconds);
    System.out.printf(
        "  %s in %.2f s (%.0f pods/s)%n",
        allBound ? "all pods created and bound" : (replicas - bound.getCount()) + " pods bound",
        boundSeconds,
        (replicas - bound.getCount()) / boundSeconds);
    System.out.printf(
        "  %d reconciles (replicaset), %d (deployment)%n",
        replicaSets.metrics().reconcileCount(), deployments.metrics().reconcileCount());
    scheduler.close();
    replicaSets.close();
    deployments.close();
    informers.close();
    context.close();
    client.close();
    server.close();
    store.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Fake nodes as upstream's scheduler_perf defines them, registered by a few clients at once. */
  private static void registerNodes(KubernetesClient client, int count) throws Exception {
    Map<String, Quantity> capacity =
        Map.of(
            "cpu", new Quantity("4"), "memory", new Quantity("32Gi"), "pods", new Quantity("110"));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "node-" + i;
        futures.add(
            pool.submit(
                () ->
                    client
                        .nodes()
                        .resource(
                            new NodeBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .withLabels(Map.of("kubernetes.io/hostname", name))
                                .endMetadata()
                                .withNewStatus()
                                .withCapacity(capacity)
                                .withAllocatable(capacity)
                                .addNewCondition()
                                .withType("Ready")
                                .withStatus("True")
                                .endCondition()
                                .endStatus()
                                .build())
                        .create()));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
