package dev.skiff.scheduler.queue;

import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.QueueSortPlugin;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Upstream's PriorityQueue: an active queue ordered by the profile's QueueSort, a backoff queue of
 * pods that failed recently (1 s doubling up to 10 s), and an unschedulable set that pods leave
 * only when a cluster event one of their rejecting plugins registered for happens (or after five
 * minutes, upstream's safety net).
 */
public final class SchedulingQueue {
  private static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final LongSupplier nanoTime;
  private final long initialBackoffNanos;
  private final long maxBackoffNanos;
  private final Function<String, List<ClusterEvent>> eventsForPlugin;
  private final PriorityQueue<QueuedPodInfo> activeQ;
  private final PriorityQueue<QueuedPodInfo> backoffQ;
  private final Map<String, QueuedPodInfo> active = new HashMap<>();
  private final Map<String, QueuedPodInfo> backoff = new HashMap<>();
  private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();
  private final Map<String, QueuedPodInfo> inFlight = new HashMap<>();
  private long schedulingCycle;
  private long moveRequestCycle = -1;
  private boolean closed;

  /**
   * @param eventsForPlugin the events a plugin registered, or null when it registered none (any
   *     event may then help)
   */
  public SchedulingQueue(
      Comparator<QueueSortPlugin.QueuedPod> order,
      Duration initialBackoff,
      Duration maxBackoff,
      Function<String, List<ClusterEvent>> eventsForPlugin,
      LongSupplier nanoTime) {
    this.activeQ = new PriorityQueue<>(order);
    this.backoffQ = new PriorityQueue<>(Comparator.comparingLong(this::backoffExpiry));
    this.initialBackoffNanos = initialBackoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
    this.eventsForPlugin = eventsForPlugin;
    this.nanoTime = nanoTime;
  }

  private static String key(Pod pod) {
    return PodInfo.keyOf(pod);
  }

  /** A new pending pod. */
  public void add(Pod pod) {
    lock.lock();
    try {
      String k = key(pod);
      if (active.containsKey(k) || backoff.containsKey(k) || unschedulable.containsKey(k)) {
        update(pod);
        return;
      }
      QueuedPodInfo q = new QueuedPodInfo(new PodInfo(pod), nanoTime.getAsLong());
      pushActive(q);
    } finally {
      lock.unlock();
    }
  }

  private void pushActive(QueuedPodInfo q) {
    activeQ.add(q);
    active.put(key(q.pod()), q);
    notEmpty.signal();
  }

  /**
   * A pending pod changed. An unschedulable pod is retried, since its own change (new tolerations,
   * a relaxed affinity) may make it fit.
   */
  public void update(Pod pod) {
    lock.lock();
    try {
      String k = key(pod);
      QueuedPodInfo q;
      if ((q = active.get(k)) != null) {
        activeQ.remove(q);
        q.setPodInfo(new PodInfo(pod));
        activeQ.add(q);
      } else if ((q = backoff.get(k)) != null) {
        q.setPodInfo(new PodInfo(pod));
      } else if ((q = unschedulable.remove(k)) != null) {
        q.setPodInfo(new PodInfo(pod));
        q.setTimestampNanos(nanoTime.getAsLong());
        requeue(q);
      } else if ((q = inFlight.get(k)) != null) {
        q.setPodInfo(new PodInfo(pod));
      } else {
        pushActive(new QueuedPodInfo(new PodInfo(pod), nanoTime.getAsLong()));
      }
    } finally {
      lock.unlock();
    }
  }

  public void delete(Pod pod) {
    lock.lock();
    try {
      String k = key(pod);
      QueuedPodInfo q;
      if ((q = active.remove(k)) != null) {
        activeQ.remove(q);
      }
      if ((q = backoff.remove(k)) != null) {
        backoffQ.remove(q);
      }
      unschedulable.remove(k);
      inFlight.remove(k);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes the next pod to schedule, waiting while the active queue is empty.
   *
   * @return null once the queue is closed
   */
  public QueuedPodInfo pop() throws InterruptedException {
    lock.lock();
    try {
      while (activeQ.isEmpty() && !closed) {
        notEmpty.await();
      }
      if (closed) {
        return null;
      }
      QueuedPodInfo q = activeQ.poll();
      active.remove(key(q.pod()));
      q.incrementAttempts();
      schedulingCycle++;
      inFlight.put(key(q.pod()), q);
      return q;
    } finally {
      lock.unlock();
    }
  }

  /** Like {@link #pop} but returns null when nothing is active within the timeout. */
  public QueuedPodInfo poll(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long remaining = timeout.toNanos();
      while (activeQ.isEmpty() && !closed) {
        if (remaining <= 0) {
          return null;
        }
        remaining = notEmpty.awaitNanos(remaining);
      }
      return closed ? null : pop();
    } finally {
      lock.unlock();
    }
  }

  /** The cycle number of the pod most recently popped. */
  public long schedulingCycle() {
    lock.lock();
    try {
      return schedulingCycle;
    } finally {
      lock.unlock();
    }
  }

  /** The popped pod was bound (or given up on); it leaves the queue's bookkeeping. */
  public void done(Pod pod) {
    lock.lock();
    try {
      inFlight.remove(key(pod));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns a pod that failed to schedule. If a move request happened during its cycle it goes to
   * backoff right away, since that event may already have fixed it; so does a pod that failed with
   * an error rather than a rejection.
   *
   * @param error true when scheduling broke (e.g. an API error) rather than the pod not fitting
   */
  public void addUnschedulable(QueuedPodInfo q, long podSchedulingCycle, boolean error) {
    lock.lock();
    try {
      String k = key(q.pod());
      if (inFlight.remove(k) == null) {
        return;
      }
      q.setTimestampNanos(nanoTime.getAsLong());
      if (error || moveRequestCycle >= podSchedulingCycle) {
        backoffQ.add(q);
        backoff.put(k, q);
      } else {
        unschedulable.put(k, q);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Moves unschedulable pods that the event may help to the backoff or active queue. */
  public void onClusterEvent(ClusterEvent event) {
    lock.lock();
    try {
      Iterator<QueuedPodInfo> it = unschedulable.values().iterator();
      List<QueuedPodInfo> moved = new ArrayList<>();
      while (it.hasNext()) {
        QueuedPodInfo q = it.next();
        if (mayHelp(q, event)) {
          it.remove();
          moved.add(q);
        }
      }
      moved.forEach(this::requeue);
      moveRequestCycle = schedulingCycle;
    } finally {
      lock.unlock();
    }
  }

  private boolean mayHelp(QueuedPodInfo q, ClusterEvent event) {
    if (q.unschedulablePlugins().isEmpty()) {
      return true;
    }
    for (String plugin : q.unschedulablePlugins()) {
      List<ClusterEvent> registered = eventsForPlugin.apply(plugin);
      if (registered == null) {
        return true;
      }
      for (ClusterEvent e : registered) {
        if (e.covers(event)) {
          return true;
        }
      }
    }
    return false;
  }

  private void requeue(QueuedPodInfo q) {
    if (backoffExpiry(q) > nanoTime.getAsLong()) {
      backoffQ.add(q);
      backoff.put(key(q.pod()), q);
    } else {
      pushActive(q);
    }
  }

  private long backoffExpiry(QueuedPodInfo q) {
    long d = initialBackoffNanos;
    for (int i = 1; i < q.attempts() && d < maxBackoffNanos; i++) {
      d *= 2;
    }
    return q.timestampNanos() + Math.min(d, maxBackoffNanos);
  }

  /** Moves pods whose backoff has expired to the active queue; called every second. */
  public void flushBackoffCompleted() {
    lock.lock();
    try {
      long now = nanoTime.getAsLong();
      while (!backoffQ.isEmpty() && backoffExpiry(backoffQ.peek()) <= now) {
        QueuedPodInfo q = backoffQ.poll();
        backoff.remove(key(q.pod()));
        pushActive(q);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Retries pods stuck unschedulable for over five minutes, in case an event was missed. */
  public void flushUnschedulableLeftover() {
    lock.lock();
    try {
      long now = nanoTime.getAsLong();
      List<QueuedPodInfo> stale = new ArrayList<>();
      unschedulable
          .values()
          .removeIf(
              q -> {
                boolean old = now - q.timestampNanos() > MAX_IN_UNSCHEDULABLE.toNanos();
                if (old) {
                  stale.add(q);
                }
                return old;
              });
      stale.forEach(this::requeue);
    } finally {
      lock.unlock();
    }
  }

  /** Counts per sub-queue, for metrics and tests. */
  public record Sizes(int active, int backoff, int unschedulable, int inFlight) {}

  public Sizes sizes() {
    lock.lock();
    try {
      return new Sizes(active.size(), backoff.size(), unschedulable.size(), inFlight.size());
    } finally {
      lock.unlock();
    }
  }

  /** Wakes every waiting {@link #pop} with null. */
  public void close() {
    lock.lock();
    try {
      closed = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
