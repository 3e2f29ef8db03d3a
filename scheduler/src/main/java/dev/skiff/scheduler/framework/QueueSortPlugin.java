package dev.skiff.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.Comparator;

/** Orders the active queue; exactly one per profile. */
public interface QueueSortPlugin extends Plugin {
  Comparator<QueuedPod> comparator();

  /** What a queue sort sees of a queued pod. */
  interface QueuedPod {
    Pod pod();

    /** When the pod was first added to the queue, in nanoseconds of {@code System.nanoTime}. */
    long enqueuedAtNanos();
  }
}
