package dev.skiff.controllers.framework;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * Counters of one controller's reconciles, rendered in the Prometheus text format for a {@code
 * /metrics} endpoint; its work queue's metrics are the queue's own ({@link WorkQueueMetrics}).
 */
public final class ControllerMetrics {
  private final String name;
  private final LongAdder reconciles = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder workNanos = new LongAdder();

  public ControllerMetrics(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void reconciled(long nanos, boolean failed) {
    reconciles.increment();
    workNanos.add(nanos);
    if (failed) {
      errors.increment();
    }
  }

  public long reconcileCount() {
    return reconciles.sum();
  }

  public long errorCount() {
    return errors.sum();
  }

  /**
   * Writes the samples of {@code controllers} in the Prometheus text exposition format, each metric
   * family once with one sample per controller.
   */
  public static void writeAll(Collection<ControllerMetrics> controllers, Appendable out)
      throws IOException {
    family(out, "controller_reconcile_total", "counter", controllers, m -> m.reconciles.sum());
    family(out, "controller_reconcile_errors_total", "counter", controllers, m -> m.errors.sum());
    out.append("# TYPE controller_reconcile_time_seconds_total counter\n");
    for (ControllerMetrics m : controllers) {
      out.append("controller_reconcile_time_seconds_total{controller=\"")
          .append(m.name)
          .append("\"} ")
          .append(Double.toString(m.workNanos.sum() / 1e9))
          .append('\n');
    }
  }

  private static void family(
      Appendable out,
      String metric,
      String type,
      Collection<ControllerMetrics> controllers,
      ToLongFunction<ControllerMetrics> value)
      throws IOException {
    out.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
    String label = "controller";
    for (ControllerMetrics m : controllers) {
      out.append(metric)
          .append('{')
          .append(label)
          .append("=\"")
          .append(m.name)
          .append("\"} ")
          .append(Long.toString(value.applyAsLong(m)))
          .append('\n');
    }
  }
}
