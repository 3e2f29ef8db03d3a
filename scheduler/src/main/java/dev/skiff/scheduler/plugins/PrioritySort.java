package dev.skiff.scheduler.plugins;

import dev.skiff.scheduler.framework.PodPriority;
import dev.skiff.scheduler.framework.QueueSortPlugin;
import java.util.Comparator;

/** Orders the active queue by priority, highest first, then by time in the queue. */
public final class PrioritySort implements QueueSortPlugin {
  public static final String NAME = "PrioritySort";

  private static final Comparator<QueuedPod> ORDER =
      Comparator.<QueuedPod>comparingInt(p -> -PodPriority.of(p.pod()))
          .thenComparingLong(QueuedPod::enqueuedAtNanos);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Comparator<QueuedPod> comparator() {
    return ORDER;
  }
}
