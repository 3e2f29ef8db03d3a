package dev.skiff.kubelet;

import dev.skiff.kubelet.node.HealthMonitor;
import dev.skiff.kubelet.node.LeaseRenewer;
import dev.skiff.kubelet.node.NodeStatusManager;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ImageService;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
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
  private static final Logger LOG = LoggerFactory.getLogger(Kubelet.class);

  private final KubernetesClient client;
  private final KubeletConfig config;
  private final NodeStatusManager nodeStatus;
  private final LeaseRenewer lease;
  private final ScheduledExecutorService timers =
      Executors.newScheduledThreadPool(
          2, Thread.ofPlatform().name("kubelet-timer-", 0).daemon().factory());

  public Kubelet(
      KubernetesClient client,
      ContainerRuntime runtime,
      ImageService images,
      KubeletConfig config) {
    this.client = client;
    this.config = config;
    this.nodeStatus =
        new NodeStatusManager(
            client,
            config,
            images,
            new HealthMonitor(runtime, config.rootDir()),
            RUNTIME_VERSION,
            config.streamingPort());
    this.lease = new LeaseRenewer(client, config.nodeName());
  }

  /** Registers the node (failing if the API server refuses it), then runs in the background. */
  public void start() {
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
    LOG.info("kubelet for node {} started", config.nodeName());
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
    timers.shutdownNow();
    try {
      timers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
