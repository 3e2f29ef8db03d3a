package dev.skiff.kubelet.metrics;

import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxState;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One kubelet's Prometheus metrics: its own {@code /metrics} (running pods and containers, pod
 * start duration, runtime operation counts and latencies) and the {@code /metrics/resource} and
 * {@code /metrics/cadvisor} collections, each a registry of its own so several kubelets can share a
 * JVM.
 */
public final class KubeletMetrics {
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final double[] POD_START_BUCKETS = {
    0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360, 480, 600, 900, 1200,
    1800, 2700, 3600
  };

  private final PrometheusRegistry kubelet = new PrometheusRegistry();
  private final PrometheusRegistry resource = new PrometheusRegistry();
  private final PrometheusRegistry cadvisor = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  final Histogram podStartDuration;
  final Counter runtimeOperations;
  final Counter runtimeErrors;
  final Histogram runtimeDuration;

  /**
   * @param runtime the runtime as the kubelet uses it (counts of running pods and containers come
   *     from it at scrape time, as upstream's do)
   */
  public KubeletMetrics(ContainerRuntime runtime) {
    podStartDuration =
        Histogram.builder()
            .name("kubelet_pod_start_duration_seconds")
            .help(
                "[ALPHA] Duration in seconds from kubelet seeing a pod for the first time to the"
                    + " pod starting to run")
            .classicOnly()
            .classicUpperBounds(POD_START_BUCKETS)
            .register(kubelet);
    runtimeOperations =
        Counter.builder()
            .name("kubelet_runtime_operations_total")
            .help("[ALPHA] Cumulative number of runtime operations by operation type.")
            .labelNames("operation_type")
            .register(kubelet);
    runtimeErrors =
        Counter.builder()
            .name("kubelet_runtime_operations_errors_total")
            .help("[ALPHA] Cumulative number of runtime operation errors by operation type.")
            .labelNames("operation_type")
            .register(kubelet);
    runtimeDuration =
        Histogram.builder()
            .name("kubelet_runtime_operations_duration_seconds")
            .help(
                "[ALPHA] Duration in seconds of runtime operations. Broken down by operation type.")
            .labelNames("operation_type")
            .classicOnly()
            .classicExponentialUpperBounds(0.005, 2.5, 14)
            .register(kubelet);
    GaugeWithCallback.builder()
        .name("kubelet_running_pods")
        .help("[ALPHA] Number of pods that have a running pod sandbox")
        .callback(
            cb ->
                cb.call(
                    runtime
                        .listPodSandbox(
                            new PodSandboxFilter(null, PodSandboxState.SANDBOX_READY, null))
                        .size()))
        .register(kubelet);
    GaugeWithCallback.builder()
        .name("kubelet_running_containers")
        .help("[ALPHA] Number of containers currently running")
        .labelNames("container_state")
        .callback(
            cb ->
                cb.call(
                    runtime
                        .listContainers(
                            new ContainerFilter(null, ContainerState.CONTAINER_RUNNING, null, null))
                        .size(),
                    "running"))
        .register(kubelet);
    resource.register(new ResourceMetrics(runtime));
    cadvisor.register(new CadvisorMetrics(runtime));
  }

  /** The runtime wrapped so that every call is counted and timed under its CRI operation name. */
  public ContainerRuntime instrument(ContainerRuntime runtime) {
    return new InstrumentedRuntime(runtime, this);
  }

  public PodStartTracker podStarts() {
    return new PodStartTracker(podStartDuration);
  }

  /** {@code /metrics} */
  public byte[] kubelet() {
    return text(kubelet);
  }

  /** {@code /metrics/resource} */
  public byte[] resource() {
    return text(resource);
  }

  /** {@code /metrics/cadvisor} */
  public byte[] cadvisor() {
    return text(cadvisor);
  }

  private byte[] text(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
