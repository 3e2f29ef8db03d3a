package dev.skiff.controllers.framework;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;

/**
 * client-go's work queue metrics, per queue {@code name}, in the process registry that the API
 * server's {@code /metrics} shows: adds, depth, time waiting in the queue, time being worked on,
 * and rate-limited retries.
 */
final class WorkQueueMetrics {
  // client-go's buckets: 10 ns to 10 s, a decade each.
  private static final double[] BUCKETS = {1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10};

  private static final Counter ADDS =
      Counter.builder()
          .name("workqueue_adds_total")
          .help("[ALPHA] Total number of adds handled by workqueue")
          .labelNames("name")
          .register();
  private static final Gauge DEPTH =
      Gauge.builder()
          .name("workqueue_depth")
          .help("[ALPHA] Current depth of workqueue")
          .labelNames("name")
          .register();
  private static final Histogram QUEUE_DURATION =
      Histogram.builder()
          .name("workqueue_queue_duration_seconds")
          .help("[ALPHA] How long in seconds an item stays in workqueue before being requested.")
          .labelNames("name")
          .classicOnly()
          .classicUpperBounds(BUCKETS)
          .register();
  private static final Histogram WORK_DURATION =
      Histogram.builder()
          .name("workqueue_work_duration_seconds")
          .help("[ALPHA] How long in seconds processing an item from workqueue takes.")
          .labelNames("name")
          .classicOnly()
          .classicUpperBounds(BUCKETS)
          .register();
  private static final Counter RETRIES =
      Counter.builder()
          .name("workqueue_retries_total")
          .help("[ALPHA] Total number of retries handled by workqueue")
          .labelNames("name")
          .register();

  final CounterDataPoint adds;
  final GaugeDataPoint depth;
  final DistributionDataPoint queueDuration;
  final DistributionDataPoint workDuration;
  final CounterDataPoint retries;

  WorkQueueMetrics(String name) {
    adds = ADDS.labelValues(name);
    depth = DEPTH.labelValues(name);
    queueDuration = QUEUE_DURATION.labelValues(name);
    workDuration = WORK_DURATION.labelValues(name);
    retries = RETRIES.labelValues(name);
  }
}
