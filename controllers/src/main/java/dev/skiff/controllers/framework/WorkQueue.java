package dev.skiff.controllers.framework;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A rate-limited work queue of keys with client-go's guarantees: an item queued several times
 * before a worker takes it is processed once, and an item is never processed by two workers at once
 * (re-adding it while it is processed queues it again after {@link #done}).
 */
public final class WorkQueue<T> implements AutoCloseable {
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private final Set<T> dirty = new HashSet<>();
  private final Set<T> processing = new HashSet<>();
  private final RateLimiter<T> rateLimiter;
  private final WorkQueueMetrics metrics;
  private final Map<T, Long> queuedAt = new HashMap<>();
  private final Map<T, Long> startedAt = new HashMap<>();
  private final ScheduledExecutorService delayer;
  private boolean shuttingDown;

  public WorkQueue(String name, RateLimiter<T> rateLimiter) {
    this.rateLimiter = rateLimiter;
    this.metrics = new WorkQueueMetrics(name);
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, name + "-queue-delay");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.delayer = executor;
  }

  public synchronized void add(T item) {
    if (shuttingDown || !dirty.add(item)) {
      return;
    }
    metrics.adds.inc();
    if (!processing.contains(item)) {
      enqueue(item);
    }
  }

  /** Adds {@code item} once {@code delay} has passed. */
  public void addAfter(T item, Duration delay) {
    if (delay.isZero() || delay.isNegative()) {
      add(item);
      return;
    }
    synchronized (this) {
      if (shuttingDown) {
        return;
      }
    }
    delayer.schedule(() -> add(item), delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Adds {@code item} after the delay its rate limiter imposes, counting one more failure. */
  public void addRateLimited(T item) {
    metrics.retries.inc();
    addAfter(item, rateLimiter.when(item));
  }

  /** Clears the failure history of {@code item}. */
  public void forget(T item) {
    rateLimiter.forget(item);
  }

  public int retries(T item) {
    return rateLimiter.retries(item);
  }

  /** Blocks until an item is available; empty once the queue is shut down. */
  public synchronized Optional<T> get() throws InterruptedException {
    while (queue.isEmpty() && !shuttingDown) {
      wait();
    }
    if (queue.isEmpty()) {
      return Optional.empty();
    }
    T item = queue.removeFirst();
    metrics.depth.dec();
    long now = System.nanoTime();
    Long queued = queuedAt.remove(item);
    if (queued != null) {
      metrics.queueDuration.observe((now - queued) / 1e9);
    }
    startedAt.put(item, now);
    processing.add(item);
    dirty.remove(item);
    return Optional.of(item);
  }

  /** Marks {@code item} as processed; if it was added meanwhile it is queued again. */
  public synchronized void done(T item) {
    processing.remove(item);
    Long started = startedAt.remove(item);
    if (started != null) {
      metrics.workDuration.observe((System.nanoTime() - started) / 1e9);
    }
    if (dirty.contains(item)) {
      enqueue(item);
    }
  }

  private void enqueue(T item) {
    queue.addLast(item);
    queuedAt.put(item, System.nanoTime());
    metrics.depth.inc();
    notify();
  }

  public synchronized int depth() {
    return queue.size();
  }

  public synchronized boolean isShuttingDown() {
    return shuttingDown;
  }

  @Override
  public void close() {
    synchronized (this) {
      shuttingDown = true;
      // Nothing is taken after shutdown; what was waiting leaves the depth with it.
      metrics.depth.dec(queue.size());
      queue.clear();
      dirty.clear();
      queuedAt.clear();
      notifyAll();
    }
    delayer.shutdownNow();
  }
}
