package dev.skiff.controllers.framework;

import java.io.IOException;
import java.util.Collection;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.ToLongFunction;

/**
 * Counters of one controller's work queue and reconciles, named as upstream's workqueue metrics and
 * rendered in the Prometheus text format for a {@code /metrics} endpoint.
 */
public final class ControllerMetrics {
  private final String name;
  private final LongAdder adds = new LongAdder();
  private final LongAdder retries = new LongAdder();
  private final LongAdder reconciles = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder workNanos = new LongAdder();
  private volatile IntSupplier depth = () -> 0;

  public ControllerMetrics(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  void depthFrom(IntSupplier depth) {
    this.depth = depth;
  }

  void added() {
    adds.increment();
  }

  void retried() {
    retries.increment();
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

  public int depth() {
    return depth.getAsInt();
  }

  /**
   * Writes the samples of {@code controllers} in the Prometheus text exposition format, each metric
   * family once with one sample per controller.
   */
  public static void writeAll(Collection<ControllerMetrics> controllers, Appendable out)
      throws IOException {
    family(out, "workqueue_depth", "gauge", controllers, m -> m.depth());
    family(out, "workqueue_adds_total", "counter", controllers, m -> m.adds.sum());
    family(out, "workqueue_retries_total", "counter", controllers, m -> m.retries.sum());
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
    String label = metric.startsWith("workqueue") ? "name" : "controller";
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
