package dev.skiff.kubelet;

import dev.skiff.api.informers.RelistingInformer;
import dev.skiff.kubelet.env.EnvResolver;
import dev.skiff.kubelet.events.EventRecorder;
import dev.skiff.kubelet.metrics.KubeletMetrics;
import dev.skiff.kubelet.metrics.PodStartTracker;
import dev.skiff.kubelet.node.HealthMonitor;
import dev.skiff.kubelet.node.LeaseRenewer;
import dev.skiff.kubelet.node.Meminfo;
import dev.skiff.kubelet.node.NodeStatusManager;
import dev.skiff.kubelet.pod.Admission;
import dev.skiff.kubelet.pod.ImagePuller;
import dev.skiff.kubelet.pod.LifecycleHooks;
import dev.skiff.kubelet.pod.PodCgroupCleaner;
import dev.skiff.kubelet.pod.PodWorkerContext;
import dev.skiff.kubelet.pod.PodWorkers;
import dev.skiff.kubelet.pod.StaticPods;
import dev.skiff.kubelet.prober.ProbeActions;
import dev.skiff.kubelet.prober.ProberManager;
import dev.skiff.kubelet.server.ContainerLogs;
import dev.skiff.kubelet.server.ServingTls;
import dev.skiff.kubelet.server.StreamingServer;
import dev.skiff.kubelet.stats.SummaryProvider;
import dev.skiff.kubelet.status.StatusManager;
import dev.skiff.kubelet.volume.VolumeManager;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.cgroups.Cgroups;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent: registers the Node, renews its Lease, runs the pods bound to it through the
 * container runtime and reports their status, talking to the cluster only through {@code client}.
 */
public final class Kubelet implements AutoCloseable {
  public static final String RUNTIME_VERSION = "skiff://0.1.0";
  static final long NODE_STATUS_PERIOD_SECONDS = 10;
  static final long LEASE_PERIOD_SECONDS = 10;
  static final long STATIC_PODS_PERIOD_SECONDS = 20;
  static final Duration INFORMER_SYNC_TIMEOUT = Duration.ofSeconds(60);
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final NodeStatusManager nodeStatus;
  private final LeaseRenewer lease;
  private final EventRecorder events;
  private final ProberManager probers;
  private final PodWorkers pods;
  private final StreamingServer server;
  private final PodStartTracker podStarts;
  private SharedIndexInformer<Pod> informer;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().name("kubelet-timer-", 0).daemon().factory());

  /** A kubelet whose server answers on loopback only, in plain HTTP (tests). */
  public Kubelet(
      KubernetesClient client,
      ContainerRuntime runtime,
      ImageService images,
      KubeletConfig config) {
    this(client, runtime, images, config, null);
  }

  /** With {@code tls}, the server takes HTTPS calls from the API server on every address. */
  public Kubelet(
      KubernetesClient client,
      ContainerRuntime runtime,
      ImageService images,
      KubeletConfig config,
      ServingTls tls) {
    this.client = client;
    this.config = config;
    KubeletMetrics metrics = new KubeletMetrics(runtime);
    runtime = metrics.instrument(runtime);
    this.podStarts = metrics.podStarts();
    this.server =
        new StreamingServer(
            new ContainerLogs(runtime, config.podLogDir()),
            new SummaryProvider(runtime, config.nodeName()),
            config.streamingPort(),
            tls);
    server.serveMetrics(metrics);
    this.nodeStatus =
        new NodeStatusManager(
            client,
            config,
            images,
            new HealthMonitor(runtime, config.rootDir()),
            RUNTIME_VERSION,
            () -> server.port());
    this.lease = new LeaseRenewer(client, config.nodeName());
    this.events = new EventRecorder(client, config.nodeName());
    ProbeActions actions = new ProbeActions(runtime);
    PodWorkers[] holder = new PodWorkers[1];
    this.probers = new ProberManager(actions, events, uid -> holder[0].wake(uid));
    this.pods =
        new PodWorkers(
            new PodWorkerContext(
                config,
                client,
                runtime,
                new ImagePuller(images, events),
                events,
                new StatusManager(client),
                new EnvResolver(client),
                new VolumeManager(client, config.rootDir(), config.nodeIp()),
                probers,
                new LifecycleHooks(actions),
                new PodCgroupCleaner(Cgroups.host()),
                new Admission(this.nodeStatus::node),
                Meminfo.read().totalBytes()));
    holder[0] = pods;
  }

  /** Registers the node (failing if the API server refuses it), then runs in the background. */
  public void start() {
    server.start();
    nodeStatus.register();
    nodeStatus.sync(Instant.now());
    lease.renew(nodeStatus.node().getMetadata().getUid(), Instant.now());
    timers.scheduleWithFixedDelay(
        () -> guarded("node status", () -> nodeStatus.sync(Instant.now())),
        NODE_STATUS_PERIOD_SECONDS,
        NODE_STATUS_PERIOD_SECONDS,
        TimeUnit.SECONDS);
    timers.scheduleWithFixedDelay(
        () ->
            guarded(
                "lease",
                () -> lease.renew(nodeStatus.node().getMetadata().getUid(), Instant.now())),
        LEASE_PERIOD_SECONDS,
        LEASE_PERIOD_SECONDS,
        TimeUnit.SECONDS);
    startPodInformer();
    if (config.manifestPath() != null) {
      StaticPods staticPods =
          new StaticPods(
              client,
              config.manifestPath(),
              config.nodeName(),
              () -> nodeStatus.node().getMetadata().getUid());
      guarded("static pods", staticPods::sync);
      timers.scheduleWithFixedDelay(
          () -> guarded("static pods", staticPods::sync),
          STATIC_PODS_PERIOD_SECONDS,
          STATIC_PODS_PERIOD_SECONDS,
          TimeUnit.SECONDS);
    }
    LOG.info("kubelet for node {} started", config.nodeName());
  }

  /** Watches the pods bound to this node; once listed, removes sandboxes of deleted pods. */
  private void startPodInformer() {
    informer =
        RelistingInformer.of(
            client.pods().inAnyNamespace().withField("spec.nodeName", config.nodeName()));
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            podStarts.seen(pod);
            pods.update(pod);
          }

          @Override
          public void onUpdate(Pod old, Pod pod) {
            podStarts.seen(pod);
            pods.update(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {
            podStarts.forget(pod);
            pods.delete(pod);
          }
        });
    informer.start();
    long deadline = System.nanoTime() + INFORMER_SYNC_TIMEOUT.toNanos();
    while (!informer.hasSynced()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not list the pods of node "
                + config.nodeName()
                + " within "
                + INFORMER_SYNC_TIMEOUT);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while listing pods", e);
      }
    }
    Set<String> known = new HashSet<>();
    informer.getStore().list().forEach(p -> known.add(p.getMetadata().getUid()));
    pods.removeOrphans(known);
  }

  /** The port the streaming server listens on (logs). */
  public int streamingPort() {
    return server.port();
  }

  public KubernetesClient client() {
    return client;
  }

  public KubeletConfig config() {
    return config;
  }

  private static void guarded(String what, Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.warn("{} failed: {}", what, e.toString());
    }
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    pods.close();
    probers.close();
    events.close();
    server.close();
    timers.shutdownNow();
    try {
      timers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
