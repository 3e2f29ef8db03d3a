package dev.skiff.kubelet.metrics;

import dev.skiff.runtime.ContainerRuntime;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;

/**
 * The subset of cAdvisor's container metrics the kubelet serves on {@code /metrics/cadvisor}: cpu,
 * memory usage and working set, and start time per container, labelled as cAdvisor labels them for
 * Kubernetes containers (container, image, name as the runtime's id, namespace, pod).
 */
public final class CadvisorMetrics implements MultiCollector {
  private final ContainerRuntime runtime;

  public CadvisorMetrics(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public MetricSnapshots collect() {
    List<ContainerSample> samples = ContainerSample.read(runtime, new boolean[1]);
    var cpu =
        CounterSnapshot.builder()
            .name("container_cpu_usage_seconds")
            .help("Cumulative cpu time consumed in seconds.");
    var usage =
        GaugeSnapshot.builder()
            .name("container_memory_usage_bytes")
            .help(
                "Current memory usage in bytes, including all memory regardless of when it was"
                    + " accessed");
    var workingSet =
        GaugeSnapshot.builder()
            .name("container_memory_working_set_bytes")
            .help("Current working set in bytes.");
    var start =
        GaugeSnapshot.builder()
            .name("container_start_time_seconds")
            .help("Start time of the container since unix epoch in seconds.");
    for (ContainerSample s : samples) {
      String image = s.container().image() == null ? "" : s.container().image().image();
      Labels labels =
          Labels.of(
              "container", s.name(),
              "image", image,
              "name", s.container().id(),
              "namespace", s.namespace(),
              "pod", s.pod());
      long ts = s.timestampMillis();
      cpu.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(labels.add("cpu", "total"))
              .value(s.cpuSeconds())
              .scrapeTimestampMillis(ts)
              .build());
      usage.dataPoint(ResourceMetrics.gauge(labels, s.stats().memoryUsageBytes(), ts));
      workingSet.dataPoint(ResourceMetrics.gauge(labels, s.stats().memoryWorkingSetBytes(), ts));
      start.dataPoint(ResourceMetrics.gauge(labels, s.startTimeSeconds(), ts));
    }
    return MetricSnapshots.of(cpu.build(), usage.build(), workingSet.build(), start.build());
  }
}
