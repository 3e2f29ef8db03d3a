package dev.skiff.apiserver.metrics.resource;

import dev.skiff.apiserver.metrics.PrometheusText;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The last two scrapes of every node's {@code /metrics/resource}, from which node and pod usage is
 * computed. A scrape replaces what its node said before: pods gone from it are gone from here.
 */
public final class MetricsStore {
  /** One pod's containers, each with its usage, in the order the kubelet listed them. */
  public record PodUsage(Map<String, UsageWindow> containers) {
    public UsageWindow any() {
      return containers.values().iterator().next();
    }
  }

  private record NodeState(
      UsageWindow.Series node, Map<String, Map<String, UsageWindow.Series>> pods) {}

  private final Map<String, NodeState> nodes = new HashMap<>();

  /** Records one scrape of {@code node}'s kubelet. */
  public synchronized void record(String node, PrometheusText.Exposition scrape) {
    NodeState old = nodes.get(node);
    UsageWindow.Series nodeSeries = old == null ? new UsageWindow.Series() : old.node();
    var cpu = scrape.named("node_cpu_usage_seconds_total");
    var mem = scrape.named("node_memory_working_set_bytes");
    if (!cpu.isEmpty() && !mem.isEmpty() && cpu.getFirst().timestampMillis() != null) {
      nodeSeries.add(
          new UsageWindow.Point(
              cpu.getFirst().value(),
              (long) mem.getFirst().value(),
              cpu.getFirst().timestampMillis()));
    }
    Map<String, Long> memory = new HashMap<>();
    for (PrometheusText.Sample s : scrape.named("container_memory_working_set_bytes")) {
      memory.put(containerKey(s), (long) s.value());
    }
    Map<String, Map<String, UsageWindow.Series>> pods = new LinkedHashMap<>();
    for (PrometheusText.Sample s : scrape.named("container_cpu_usage_seconds_total")) {
      Long working = memory.get(containerKey(s));
      if (working == null || s.timestampMillis() == null) {
        continue;
      }
      String pod = s.label("namespace") + "/" + s.label("pod");
      UsageWindow.Series series =
          old == null ? null : old.pods().getOrDefault(pod, Map.of()).get(s.label("container"));
      if (series == null) {
        series = new UsageWindow.Series();
      }
      series.add(new UsageWindow.Point(s.value(), working, s.timestampMillis()));
      pods.computeIfAbsent(pod, p -> new LinkedHashMap<>()).put(s.label("container"), series);
    }
    nodes.put(node, new NodeState(nodeSeries, pods));
  }

  private static String containerKey(PrometheusText.Sample s) {
    return s.label("namespace") + "/" + s.label("pod") + "/" + s.label("container");
  }

  /** Forgets nodes that no longer exist or are not Ready. */
  public synchronized void retain(Set<String> names) {
    nodes.keySet().retainAll(names);
  }

  public synchronized Optional<UsageWindow> node(String name) {
    NodeState s = nodes.get(name);
    return s == null ? Optional.empty() : Optional.ofNullable(s.node().usage());
  }

  /** A pod's usage once every one of its containers has two samples. */
  public synchronized Optional<PodUsage> pod(String namespace, String name) {
    String key = namespace + "/" + name;
    for (NodeState s : nodes.values()) {
      Map<String, UsageWindow.Series> containers = s.pods().get(key);
      if (containers != null) {
        Map<String, UsageWindow> out = new LinkedHashMap<>();
        for (var c : containers.entrySet()) {
          UsageWindow u = c.getValue().usage();
          if (u == null) {
            return Optional.empty();
          }
          out.put(c.getKey(), u);
        }
        return Optional.of(new PodUsage(out));
      }
    }
    return Optional.empty();
  }
}
