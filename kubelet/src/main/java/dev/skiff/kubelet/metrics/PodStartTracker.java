package dev.skiff.kubelet.metrics;

import io.fabric8.kubernetes.api.model.Pod;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Feeds {@code kubelet_pod_start_duration_seconds}: the time from the kubelet first seeing a pod to
 * the pod's status first reading Running, observed once per pod.
 */
public final class PodStartTracker {
  private final Histogram histogram;
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
  private final Map<String, Boolean> observed = new ConcurrentHashMap<>();

  PodStartTracker(Histogram histogram) {
    this.histogram = histogram;
  }

  /** Called with every version of a pod the kubelet sees. */
  public void seen(Pod pod) {
    String uid = pod.getMetadata().getUid();
    long now = System.nanoTime();
    boolean running = pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
    if (firstSeen.putIfAbsent(uid, now) == null && running) {
      // Already running when first seen (a kubelet restart): this kubelet did not start it.
      observed.put(uid, Boolean.TRUE);
      return;
    }
    if (running && observed.putIfAbsent(uid, Boolean.TRUE) == null) {
      histogram.observe((now - firstSeen.get(uid)) / 1e9);
    }
  }

  public void forget(Pod pod) {
    firstSeen.remove(pod.getMetadata().getUid());
    observed.remove(pod.getMetadata().getUid());
  }
}
