package dev.skiff.kubelet.metrics;

import dev.skiff.kubelet.node.Meminfo;
import dev.skiff.kubelet.stats.SummaryProvider;
import dev.skiff.runtime.ContainerRuntime;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's {@code /metrics/resource}: cumulative cpu and current working set of the node, of
 * each pod and of each container, with upstream's names and labels and the sample's own timestamp,
 * which is what the resource metrics API (metrics-server) reads to compute usage rates.
 */
public final class ResourceMetrics implements MultiCollector {
  private final ContainerRuntime runtime;

  public ResourceMetrics(ContainerRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public MetricSnapshots collect() {
    long now = System.currentTimeMillis();
    boolean[] errors = {false};
    List<ContainerSample> samples = ContainerSample.read(runtime, errors);
    Meminfo mem = Meminfo.read();

    var containerCpu =
        CounterSnapshot.builder()
            .name("container_cpu_usage_seconds")
            .help("[STABLE] Cumulative cpu time consumed by the container in core-seconds");
    var containerMemory =
        GaugeSnapshot.builder()
            .name("container_memory_working_set_bytes")
            .help("[STABLE] Current working set of the container in bytes");
    var containerStart =
        GaugeSnapshot.builder()
            .name("container_start_time_seconds")
            .help("[STABLE] Start time of the container since unix epoch in seconds");
    Map<List<String>, double[]> pods = new LinkedHashMap<>();
    Map<List<String>, Long> podTimes = new LinkedHashMap<>();
    for (ContainerSample s : samples) {
      Labels labels = Labels.of("container", s.name(), "namespace", s.namespace(), "pod", s.pod());
      long ts = s.timestampMillis();
      containerCpu.dataPoint(
          CounterDataPointSnapshot.builder()
              .labels(labels)
              .value(s.cpuSeconds())
              .scrapeTimestampMillis(ts)
              .build());
      containerMemory.dataPoint(gauge(labels, s.stats().memoryWorkingSetBytes(), ts));
      containerStart.dataPoint(gauge(labels, s.startTimeSeconds(), ts));
      List<String> pod = List.of(s.namespace(), s.pod());
      double[] sums = pods.computeIfAbsent(pod, p -> new double[2]);
      sums[0] += s.cpuSeconds();
      sums[1] += s.stats().memoryWorkingSetBytes();
      podTimes.merge(pod, ts, Math::max);
    }
    var podCpu =
        CounterSnapshot.builder()
            .name("pod_cpu_usage_seconds")
            .help("[STABLE] Cumulative cpu time consumed by the pod in core-seconds");
    var podMemory =
        GaugeSnapshot.builder()
            .name("pod_memory_working_set_bytes")
            .help("[STABLE] Current working set of the pod in bytes");
    pods.forEach(
        (pod, sums) -> {
          Labels labels = Labels.of("namespace", pod.get(0), "pod", pod.get(1));
          long ts = podTimes.get(pod);
          podCpu.dataPoint(
              CounterDataPointSnapshot.builder()
                  .labels(labels)
                  .value(sums[0])
                  .scrapeTimestampMillis(ts)
                  .build());
          podMemory.dataPoint(gauge(labels, sums[1], ts));
        });
    return MetricSnapshots.of(
        containerCpu.build(),
        containerMemory.build(),
        containerStart.build(),
        CounterSnapshot.builder()
            .name("node_cpu_usage_seconds")
            .help("[STABLE] Cumulative cpu time consumed by the node in core-seconds")
            .dataPoint(
                CounterDataPointSnapshot.builder()
                    .value(SummaryProvider.nodeCpuNanos() / 1e9)
                    .scrapeTimestampMillis(now)
                    .build())
            .build(),
        GaugeSnapshot.builder()
            .name("node_memory_working_set_bytes")
            .help("[STABLE] Current working set of the node in bytes")
            .dataPoint(gauge(Labels.EMPTY, mem.totalBytes() - mem.availableBytes(), now))
            .build(),
        podCpu.build(),
        podMemory.build(),
        GaugeSnapshot.builder()
            .name("resource_scrape_error")
            .help("[STABLE] 1 if there was an error while getting container metrics, 0 otherwise")
            .dataPoint(gauge(Labels.EMPTY, errors[0] ? 1 : 0, 0))
            .build());
  }

  static GaugeDataPointSnapshot gauge(Labels labels, double value, long timestampMillis) {
    var b = GaugeDataPointSnapshot.builder().labels(labels).value(value);
    if (timestampMillis > 0) {
      b.scrapeTimestampMillis(timestampMillis);
    }
    return b.build();
  }
}
