package dev.skiff.bench;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deployment scale-out: {@code ./skiff bench controllers [--replicas N] [--workers N]}. Starts
 * Skiff's API server on loopback over SQLite in a temporary directory, creates one Deployment and
 * times the Deployment and ReplicaSet controllers, talking HTTP to it, until every pod exists
 * (binding is not part of this run until the scheduler joins it).
 */
public final class ControllersBenchmark {
  private ControllersBenchmark() {}

  public static void main(String[] args) throws Exception {
    int replicas = 3000;
    int workers = 5;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--replicas" -> replicas = Integer.parseInt(args[++i]);
        case "--workers" -> workers = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: ControllersBenchmark [--replicas N] [--workers N]");
          System.exit(2);
        }
      }
    }
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
                    .build())
            .build();
    Informers informers = new Informers(client);
    ControllerContext context = new ControllerContext(client, informers, Clock.systemUTC());
    var replicaSets = ReplicaSetController.forReplicaSets(context);
    var deployments = new DeploymentController(context);
    informers.start(Duration.ofSeconds(30));
    replicaSets.start(workers);
    deployments.start(workers);

    CountDownLatch created = new CountDownLatch(replicas);
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
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    boolean done = created.await(10, TimeUnit.MINUTES);
    double seconds = (System.nanoTime() - start) / 1e9;
    watch.close();
    System.out.printf(
        "deployment of %d replicas: %s in %.2f s (%.0f pods/s), %d reconciles (replicaset), %d (deployment)%n",
        replicas,
        done ? "all pods created" : (replicas - created.getCount()) + " pods created",
        seconds,
        (replicas - created.getCount()) / seconds,
        replicaSets.metrics().reconcileCount(),
        deployments.metrics().reconcileCount());
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
}
