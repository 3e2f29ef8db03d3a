package dev.skiff.apiserver.watch;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One client's watch on a cache: events pass its filter and wait in a bounded queue for the
 * client's connection. A client that stops taking events while far behind is cut off, as upstream
 * does, and re-watches from the last event it received.
 *
 * <p>No thread waits on the queue: the cache offers events under its lock, then calls {@link
 * #deliver()}, which tells the connection's writer to send what is queued.
 */
public final class Watcher {
  /** Live events a client may fall behind by before it may be cut off. */
  private static final int LIVE_BACKLOG = 4096;

  /**
   * How long a client that far behind may go without taking an event. Being behind for a moment is
   * no fault of the client's: the fan-out itself trails a burst of writes.
   */
  private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(5);

  /** Behind by this much, a client is cut off however recently it took an event. */
  private static final int MAX_BACKLOG = 16 * LIVE_BACKLOG;

  /**
   * An event as this watcher sees it: selector transitions become ADDED or DELETED. A BOOKMARK has
   * no object, only its revision.
   */
  public record Outgoing(String type, CachedObject object, long revision) {
    Outgoing(String type, CachedObject object) {
      this(type, object, object.revision());
    }
  }

  private final WatchFilter filter;
  private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger size = new AtomicInteger();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final Object arrivals = new Object();
  private final LongSupplier nanoClock;
  // Without a writer, events wake whoever waits in poll(timeout).
  private volatile Runnable writer = this::wakePoller;

  private volatile boolean overflowed;
  private volatile int initialCount;
  // Queued at registration (the current state, or the history a client resumes from): the live
  // backlog is counted on top, or a client resuming far behind would be cut off before its first
  // event, and resume from the same place again, for ever.
  private int queuedAtStart;
  // When the client last took an event, or last had none waiting.
  private volatile long progressAt;

  public Watcher(WatchFilter filter) {
    this(filter, System::nanoTime);
  }

  /** A watcher that judges whether its client stalled by {@code nanoClock}. */
  public Watcher(WatchFilter filter, LongSupplier nanoClock) {
    this.filter = filter;
    this.nanoClock = nanoClock;
    this.progressAt = nanoClock.getAsLong();
  }

  public WatchFilter filter() {
    return filter;
  }

  /** {@code writer} runs after events are queued, on the thread that queued them; never blocks. */
  public void onQueued(Runnable writer) {
    this.writer = writer;
  }

  /** What {@code event} means to this watcher, or null when it does not concern it. */
  public Outgoing translate(CacheEvent event) {
    return switch (event.type()) {
      case ADDED -> filter.matches(event.object()) ? new Outgoing("ADDED", event.object()) : null;
      case DELETED ->
          filter.matches(event.previous()) ? new Outgoing("DELETED", event.object()) : null;
      case MODIFIED -> {
        boolean now = filter.matches(event.object());
        boolean before = event.previous() != null && filter.matches(event.previous());
        if (now && before) {
          yield new Outgoing("MODIFIED", event.object());
        } else if (now) {
          yield new Outgoing("ADDED", event.object());
        } else if (before) {
          yield new Outgoing("DELETED", event.object());
        }
        yield null;
      }
    };
  }

  /** Called by the cache under its lock; never blocks. */
  void offer(CacheEvent event) {
    Outgoing o = translate(event);
    if (o == null || overflowed) {
      return;
    }
    int behind = size.get() - queuedAtStart;
    if (behind > LIVE_BACKLOG
        && (behind > MAX_BACKLOG || nanoClock.getAsLong() - progressAt > STALL_NANOS)) {
      overflowed = true;
      ended.complete(null);
      return;
    }
    add(o);
  }

  void offerInitial(Outgoing o) {
    initialCount++;
    queuedAtStart++;
    add(o);
  }

  /** Called by the cache under its lock at registration, for each recorded event replayed. */
  void offerReplayed(CacheEvent event) {
    Outgoing o = translate(event);
    if (o != null) {
      queuedAtStart++;
      add(o);
    }
  }

  /** Called by the cache under its lock, so that the bookmark is ordered with the events. */
  void offerBookmark(long revision) {
    add(new Outgoing("BOOKMARK", null, revision));
  }

  private void add(Outgoing o) {
    if (size.getAndIncrement() == 0) {
      progressAt = nanoClock.getAsLong();
    }
    queue.add(o);
  }

  /** Lets the writer send what was queued; called without the cache's lock. */
  public void deliver() {
    if (!queue.isEmpty()) {
      writer.run();
    }
  }

  /** The next queued event, or null. */
  public Outgoing pollNow() {
    Outgoing o = queue.poll();
    if (o != null) {
      size.decrementAndGet();
      progressAt = nanoClock.getAsLong();
    }
    return o;
  }

  /**
   * Waits for the next event, for in-process watchers without a writer; null on timeout or when
   * woken without one (the watch ended).
   */
  public Outgoing poll(long timeout, TimeUnit unit) throws InterruptedException {
    synchronized (arrivals) {
      Outgoing o = pollNow();
      if (o != null) {
        return o;
      }
      // Queuing wakes this only after the event is in: it needs the monitor this wait releases.
      unit.timedWait(arrivals, timeout);
      return pollNow();
    }
  }

  private void wakePoller() {
    synchronized (arrivals) {
      arrivals.notifyAll();
    }
  }

  /** Ends the watch: the client went away, a write failed, or the server is stopping. */
  public void terminate() {
    ended.complete(null);
    writer.run();
  }

  /** Completes when the watch must end early (terminated or overflowed). */
  public CompletableFuture<Void> ended() {
    return ended;
  }

  public boolean terminated() {
    return ended.isDone();
  }

  /** How many events of the initial state were queued at registration. */
  public int initialCount() {
    return initialCount;
  }

  public boolean isEmpty() {
    return queue.isEmpty();
  }

  public boolean overflowed() {
    return overflowed;
  }
}
