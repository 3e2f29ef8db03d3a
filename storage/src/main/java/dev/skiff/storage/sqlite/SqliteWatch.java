package dev.skiff.storage.sqlite;

import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch: replays stored history up to the revision at which it was registered, then delivers
 * the live events queued meanwhile, all on its own virtual thread so a slow listener delays only
 * itself.
 */
final class SqliteWatch implements Store.Watch {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteWatch.class);
  private static final Object STOP = new Object();
  private static final int REPLAY_PAGE = 1000;

  /** Reads stored events in revision order. */
  interface History {
    /** Events under the prefix with after &lt; revision &lt;= upTo, at most {@code limit}. */
    List<WatchEvent> read(String prefix, long after, long upTo, int limit);
  }

  private final String prefix;
  private final Store.WatchListener listener;
  private final History history;
  private final Consumer<SqliteWatch> onEnd;
  private final long replayUpTo;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private long delivered;

  SqliteWatch(
      String prefix,
      long afterRevision,
      long replayUpTo,
      Store.WatchListener listener,
      History history,
      Consumer<SqliteWatch> onEnd) {
    this.prefix = prefix;
    this.delivered = afterRevision;
    this.replayUpTo = replayUpTo;
    this.listener = listener;
    this.history = history;
    this.onEnd = onEnd;
  }

  void start() {
    Thread.ofVirtual().name("sqlite-watch " + prefix).start(this::run);
  }

  void offer(WatchEvent event) {
    if (event.kv().key().startsWith(prefix)) {
      queue.add(event);
    }
  }

  void fail(StorageException error) {
    queue.add(error);
  }

  @Override
  public void close() {
    closed = true;
    onEnd.accept(this);
    queue.add(STOP);
  }

  private void run() {
    try {
      replay();
      while (!closed) {
        Object item = queue.take();
        if (item == STOP) {
          return;
        }
        if (item instanceof StorageException error) {
          end(error);
          return;
        }
        deliver((WatchEvent) item);
      }
    } catch (StorageException e) {
      end(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void replay() {
    while (delivered < replayUpTo && !closed) {
      List<WatchEvent> page = history.read(prefix, delivered, replayUpTo, REPLAY_PAGE);
      for (WatchEvent event : page) {
        deliver(event);
      }
      if (page.size() < REPLAY_PAGE) {
        delivered = Math.max(delivered, replayUpTo);
      }
    }
  }

  private void deliver(WatchEvent event) {
    if (closed || event.revision() <= delivered) {
      return;
    }
    delivered = event.revision();
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.warn("watch listener on {} failed at revision {}", prefix, event.revision(), e);
    }
  }

  private void end(StorageException error) {
    onEnd.accept(this);
    if (!closed) {
      closed = true;
      listener.onError(error);
    }
  }
}
