package dev.skiff.controllers.podgc;

import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.ControllerMetrics;
import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's pod garbage collector, run every {@code period} (20 s upstream): deletes the oldest
 * terminated pods above {@code --terminated-pod-gc-threshold}, pods bound to nodes that no longer
 * exist (marked Failed with a DisruptionTarget condition first), and unscheduled pods that are
 * being deleted (nothing else would ever finish their deletion).
 */
public final class PodGarbageCollector implements Controller {
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(20);
  private static final Logger LOG = LoggerFactory.getLogger(PodGarbageCollector.class);

  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final int threshold;
  private final Duration period;
  private final ControllerMetrics metrics = new ControllerMetrics("podgc");
  private ScheduledExecutorService loop;

  public PodGarbageCollector(
      ControllerContext context, int terminatedPodThreshold, Duration period) {
    this.client = context.client();
    this.clock = context.clock();
    this.pods = context.informers().of(Pod.class);
    this.nodes = context.informers().of(Node.class);
    this.threshold = terminatedPodThreshold;
    this.period = period;
  }

  @Override
  public String name() {
    return "podgc";
  }

  @Override
  public ControllerMetrics metrics() {
    return metrics;
  }

  @Override
  public synchronized void start(int workers) {
    loop =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("podgc").factory());
    loop.scheduleWithFixedDelay(
        this::collect, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  void collect() {
    long start = System.nanoTime();
    boolean failed = false;
    try {
      List<Pod> all = pods.getStore().list();
      collectTerminated(all);
      collectOrphaned(all);
      collectUnscheduledTerminating(all);
    } catch (RuntimeException e) {
      failed = true;
      LOG.info("podgc: {}", e.toString());
    } finally {
      metrics.reconciled(System.nanoTime() - start, failed);
    }
  }

  private void collectTerminated(List<Pod> all) {
    if (threshold <= 0) {
      return;
    }
    List<Pod> terminated = new ArrayList<>(all.stream().filter(Pods::isTerminated).toList());
    int excess = terminated.size() - threshold;
    if (excess <= 0) {
      return;
    }
    terminated.sort(
        Comparator.comparing(Pods::created).thenComparing(p -> p.getMetadata().getName()));
    for (Pod pod : terminated.subList(0, excess)) {
      forceDelete(pod);
    }
  }

  private void collectOrphaned(List<Pod> all) {
    for (Pod pod : all) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node == null || node.isEmpty() || nodes.getStore().getByKey(node) != null) {
        continue;
      }
      // Our cache may lag behind a node that just registered: ask the API server.
      if (client.nodes().withName(node).get() != null) {
        continue;
      }
      markFailed(pod, "PodGC: node no longer exists");
      forceDelete(pod);
    }
  }

  private void collectUnscheduledTerminating(List<Pod> all) {
    for (Pod pod : all) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (pod.getMetadata().getDeletionTimestamp() != null && (node == null || node.isEmpty())) {
        forceDelete(pod);
      }
    }
  }

  private void markFailed(Pod pod, String message) {
    if (Pods.isTerminated(pod)) {
      return;
    }
    String now = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString();
    Pod failed =
        new PodBuilder(pod)
            .editOrNewStatus()
            .withPhase("Failed")
            .addToConditions(
                new PodConditionBuilder()
                    .withType("DisruptionTarget")
                    .withStatus("True")
                    .withReason("DeletionByPodGC")
                    .withMessage(message)
                    .withLastTransitionTime(now)
                    .build())
            .endStatus()
            .build();
    try {
      client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(failed).updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }

  private void forceDelete(Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .withGracePeriod(0)
          .delete();
      LOG.info(
          "podgc: deleted pod {}/{}",
          pod.getMetadata().getNamespace(),
          pod.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  @Override
  public synchronized void close() {
    if (loop != null) {
      loop.shutdownNow();
      loop = null;
    }
  }
}
