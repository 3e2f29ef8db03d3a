package dev.skiff.bench;

import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Deployment scale-out: {@code ./skiff bench controllers [--replicas N] [--workers N]}. Creates one
 * Deployment and times the Deployment and ReplicaSet controllers until every pod exists, talking
 * HTTP on loopback to fabric8's CRUD API server (Skiff's own API server replaces it once fabric8
 * informers can watch it; scheduling is not part of this run yet).
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
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubernetesClient client = server.createClient();
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
    server.destroy();
  }
}
