package dev.skiff.apiserver.watch;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client's watch on a cache: events pass its filter and wait in a bounded queue for the
 * client's connection. A client too slow to keep up is cut off, as upstream does, and re-watches.
 */
public final class Watcher {
  /** Live events a client may fall behind by before it is cut off. */
  private static final int LIVE_BACKLOG = 4096;

  /** An event as this watcher sees it: selector transitions become ADDED or DELETED. */
  public record Outgoing(String type, CachedObject object) {}

  private final WatchFilter filter;
  private final BlockingQueue<Outgoing> queue = new LinkedBlockingQueue<>();
  private static final Outgoing END = new Outgoing("", null);

  private volatile boolean overflowed;
  private volatile boolean terminated;
  private volatile int initialCount;

  public Watcher(WatchFilter filter) {
    this.filter = filter;
  }

  public WatchFilter filter() {
    return filter;
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
    if (o == null) {
      return;
    }
    if (queue.size() > LIVE_BACKLOG + initialCount) {
      overflowed = true;
      return;
    }
    queue.add(o);
  }

  void offerInitial(Outgoing o) {
    initialCount++;
    queue.add(o);
  }

  /** The next event; null on timeout or once the watch is terminated. */
  public Outgoing poll(long timeout, TimeUnit unit) throws InterruptedException {
    Outgoing o = queue.poll(timeout, unit);
    return o == END ? null : o;
  }

  public Outgoing pollNow() {
    Outgoing o = queue.poll();
    return o == END ? null : o;
  }

  /** Ends the watch: the client went away or the server is stopping. */
  public void terminate() {
    terminated = true;
    queue.add(END);
  }

  public boolean terminated() {
    return terminated;
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
