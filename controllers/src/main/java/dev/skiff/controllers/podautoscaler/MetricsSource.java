package dev.skiff.controllers.podautoscaler;

import java.util.Map;

/** Where the controller reads pod usage from: the resource metrics API, or a fake in tests. */
@FunctionalInterface
public interface MetricsSource {
  /**
   * Usage of {@code resource} ("cpu", "memory") by pod name, for the pods of {@code namespace}
   * matching {@code selector}.
   *
   * @throws MetricsUnavailable when the API cannot be read or returns no pod
   */
  Map<String, PodMetric> podMetrics(String namespace, String selector, String resource);

  final class MetricsUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetricsUnavailable(String message) {
      super(message);
    }
  }
}
