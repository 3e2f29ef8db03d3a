package dev.skiff.controllers;

import dev.skiff.controllers.certificates.CsrApprovingController;
import dev.skiff.controllers.certificates.CsrSigningController;
import dev.skiff.controllers.cronjob.CronJobController;
import dev.skiff.controllers.daemonset.DaemonSetController;
import dev.skiff.controllers.deployment.DeploymentController;
import dev.skiff.controllers.disruption.DisruptionController;
import dev.skiff.controllers.endpoints.EndpointsController;
import dev.skiff.controllers.endpointslice.EndpointSliceController;
import dev.skiff.controllers.endpointslice.EndpointSliceMirroringController;
import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.ControllerMetrics;
import dev.skiff.controllers.framework.Informers;
import dev.skiff.controllers.garbagecollector.GarbageCollector;
import dev.skiff.controllers.job.JobController;
import dev.skiff.controllers.namespace.NamespaceController;
import dev.skiff.controllers.nodeipam.NodeIpamController;
import dev.skiff.controllers.nodelifecycle.NodeLifecycleController;
import dev.skiff.controllers.nodelifecycle.NodeLifecycleSettings;
import dev.skiff.controllers.nodelifecycle.TaintEvictionController;
import dev.skiff.controllers.podautoscaler.HorizontalController;
import dev.skiff.controllers.podautoscaler.ResourceMetricsClient;
import dev.skiff.controllers.podgc.PodGarbageCollector;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.resourcequota.ResourceQuotaController;
import dev.skiff.controllers.serviceaccount.RootCaCertPublisher;
import dev.skiff.controllers.serviceaccount.ServiceAccountsController;
import dev.skiff.controllers.servicelb.ServiceLoadBalancerController;
import dev.skiff.controllers.statefulset.StatefulSetController;
import dev.skiff.controllers.ttlafterfinished.TtlAfterFinishedController;
import dev.skiff.controllers.volume.PersistentVolumeBinder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller manager: runs the workload controllers against the API server through {@code
 * client}. With leader election, several instances may run and only the holder of the {@code
 * kube-system/kube-controller-manager} Lease is active; the others take over when it stops
 * renewing.
 */
public final class ControllerManager implements AutoCloseable {
  public static final String LEASE_NAMESPACE = "kube-system";
  public static final String LEASE_NAME = "kube-controller-manager";
  private static final Logger LOG = LoggerFactory.getLogger(ControllerManager.class);

  private final KubernetesClient client;
  private final ControllerManagerOptions options;
  private final Clock clock;
  private final List<Controller> running = new ArrayList<>();
  private Informers informers;
  private ControllerContext context;
  private CompletableFuture<?> election;
  private volatile boolean leading;

  public ControllerManager(KubernetesClient client, ControllerManagerOptions options) {
    this(client, options, Clock.systemUTC());
  }

  public ControllerManager(KubernetesClient client, ControllerManagerOptions options, Clock clock) {
    this.client = client;
    this.options = options;
    this.clock = clock;
  }

  /** Starts the controllers now, or once this instance holds the Lease. */
  public synchronized void start() {
    if (!options.leaderElect()) {
      runControllers();
      return;
    }
    election =
        client
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName(LEASE_NAME)
                    .withLock(new LeaseLock(LEASE_NAMESPACE, LEASE_NAME, options.identity()))
                    .withLeaseDuration(options.leaseDuration())
                    .withRenewDeadline(options.renewDeadline())
                    .withRetryPeriod(options.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            // Off the elector's thread, which must keep renewing the Lease.
                            () ->
                                Thread.ofPlatform()
                                    .daemon()
                                    .name("controller-manager-start")
                                    .start(this::runControllers),
                            this::stopControllers,
                            leader -> LOG.info("{}: the leader is {}", options.identity(), leader)))
                    .build())
            .build()
            .start();
  }

  /** Whether this instance's controllers are running. */
  public boolean isLeading() {
    return leading;
  }

  private synchronized void runControllers() {
    if (leading) {
      return;
    }
    LOG.info("{}: starting controllers", options.identity());
    informers = new Informers(client);
    context = new ControllerContext(client, informers, clock);
    add("replicaset", ReplicaSetController::forReplicaSets);
    add("replicationcontroller", ReplicaSetController::forReplicationControllers);
    add("deployment", DeploymentController::new);
    add("namespace", NamespaceController::new);
    add("job", JobController::new);
    add("cronjob", CronJobController::new);
    add("statefulset", StatefulSetController::new);
    add("daemonset", DaemonSetController::new);
    add(
        "podgc",
        c ->
            new PodGarbageCollector(
                c, options.terminatedPodGcThreshold(), PodGarbageCollector.DEFAULT_PERIOD));
    add("serviceaccount", ServiceAccountsController::new);
    if (options.rootCaBundle() != null) {
      add("root-ca-cert-publisher", c -> new RootCaCertPublisher(c, options.rootCaBundle()));
    }
    add("endpoints", EndpointsController::new);
    add("endpointslice", EndpointSliceController::new);
    add("endpointslicemirroring", EndpointSliceMirroringController::new);
    add(
        "nodeipam",
        c -> new NodeIpamController(c, options.clusterCidr(), options.nodeCidrMaskSize()));
    add(
        "nodelifecycle",
        c ->
            new NodeLifecycleController(
                c, NodeLifecycleSettings.withGracePeriod(options.nodeMonitorGracePeriod())));
    add("taint-eviction-controller", TaintEvictionController::new);
    add("resourcequota", ResourceQuotaController::new);
    add("disruption", DisruptionController::new);
    add("ttl-after-finished", TtlAfterFinishedController::new);
    add("service-lb-controller", ServiceLoadBalancerController::new);
    add("csrapproving", CsrApprovingController::new);
    if (options.csrSigningCa() != null) {
      add("csrsigning", c -> new CsrSigningController(c, options.csrSigningCa()));
    }
    add(
        "horizontalpodautoscaling",
        c ->
            new HorizontalController(
                c,
                new ResourceMetricsClient(client),
                options.horizontalPodAutoscalerSyncPeriod(),
                options.horizontalPodAutoscalerDownscaleStabilization()));
    add("persistentvolume-binder", c -> new PersistentVolumeBinder(c, options.localPathDir()));
    if (options.enabled("garbagecollector")) {
      ApiResource.Discovered discovered = ApiResource.discover(client);
      add("garbagecollector", c -> new GarbageCollector(c, discovered.resources()));
    }
    try {
      informers.start(Duration.ofMinutes(1));
    } catch (Exception e) {
      stopControllers();
      throw new IllegalStateException("informers did not sync", e);
    }
    for (Controller controller : running) {
      controller.start(options.workers());
    }
    leading = true;
  }

  private void add(String name, Function<ControllerContext, ? extends Controller> factory) {
    if (options.enabled(name)) {
      running.add(factory.apply(context));
    }
  }

  private synchronized void stopControllers() {
    leading = false;
    running.forEach(Controller::close);
    running.clear();
    if (informers != null) {
      informers.close();
      context.close();
      informers = null;
      context = null;
    }
  }

  /**
   * The reconcile counters of the running controllers and the work queue metrics of this process,
   * in the Prometheus text format.
   */
  public synchronized String metrics() {
    StringBuilder out = new StringBuilder();
    try {
      ControllerMetrics.writeAll(running.stream().map(Controller::metrics).toList(), out);
      ByteArrayOutputStream queues = new ByteArrayOutputStream();
      PrometheusTextFormatWriter.create()
          .write(
              queues,
              PrometheusRegistry.defaultRegistry.scrape(name -> name.startsWith("workqueue_")));
      out.append(queues.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  @Override
  public void close() {
    CompletableFuture<?> e;
    synchronized (this) {
      e = election;
      election = null;
    }
    if (e != null) {
      // Cancelling releases the Lease so another instance takes over at once.
      e.cancel(true);
    }
    stopControllers();
  }
}
