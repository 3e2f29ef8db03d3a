package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchResponse;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd watch with previous values. jetcd calls back on its own threads, shared by all watches;
 * events are queued and handed to the listener on this watch's own virtual thread, so a slow
 * listener delays nobody else.
 *
 * <p>When the stream breaks (a member dies, the connection drops) this class opens a new etcd watch
 * from the revision after the last event delivered, rather than letting jetcd resume: jetcd resumes
 * from the revision etcd reported when the watch was created, which skips events if the stream
 * broke while older ones were still being replayed.
 */
final class EtcdWatch implements Store.Watch {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
  private static final Object STOP = new Object();
  private static final byte[] EMPTY = new byte[0];
  private static final long RETRY_MILLIS = 500;
  private static final long GIVE_UP_MILLIS = 60_000;
  private static final long CREATE_TIMEOUT_MILLIS = 5_000;

  private final Watch client;
  private final String prefix;
  private final long afterRevision;
  private final Store.WatchListener listener;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private volatile boolean closed;
  private volatile Stream stream;

  /** When the current run of failed streams began; 0 while a stream works. */
  private volatile long failingSinceMillis;

  private long delivered;

  /** Asks the delivery thread to replace a broken stream. */
  private record Broken(Stream stream, Throwable cause) {}

  EtcdWatch(Watch client, String prefix, long afterRevision, Store.WatchListener listener) {
    this.client = client;
    this.prefix = prefix;
    this.afterRevision = afterRevision;
    this.delivered = afterRevision;
    this.listener = listener;
    Stream first = new Stream();
    this.stream = first;
    first.start(afterRevision + 1);
    Thread.ofVirtual().name("etcd-watch " + prefix).start(this::run);
  }

  /** One etcd watch stream; callbacks of a stream that was replaced are ignored. */
  private final class Stream implements Watch.Listener {
    private volatile Watch.Watcher watcher;
    private volatile boolean created;
    private volatile boolean retired;
    private long startedMillis;

    /** A stream opened while etcd was unreachable may never answer; it is then opened again. */
    boolean stuck() {
      return !created && System.currentTimeMillis() - startedMillis > CREATE_TIMEOUT_MILLIS;
    }

    /** Called once the stream is the current one, so none of its callbacks is taken as stale. */
    void start(long fromRevision) {
      startedMillis = System.currentTimeMillis();
      WatchOption option =
          WatchOption.builder()
              .withRange(EtcdKeys.rangeEnd(prefix))
              .withRevision(fromRevision)
              .withPrevKV(true)
              .withCreateNotify(true)
              .build();
      this.watcher = client.watch(EtcdKeys.rangeStart(prefix), option, this);
    }

    /** Closes the stream; its own closing callbacks are then ignored. */
    void stop() {
      retired = true;
      Watch.Watcher w = watcher;
      if (w != null) {
        w.close();
      }
    }

    private boolean current() {
      return stream == this && !retired && !closed;
    }

    @Override
    public void onNext(WatchResponse response) {
      if (!current()) {
        return;
      }
      failingSinceMillis = 0;
      if (response.isCreatedNotify()) {
        created = true;
      }
      for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
        queue.add(convert(e));
      }
    }

    @Override
    public void onError(Throwable error) {
      if (!current()) {
        return;
      }
      if (error instanceof CompactedException compacted) {
        queue.add(new StorageException.Compacted(afterRevision, compacted.getCompactedRevision()));
      } else {
        queue.add(new Broken(this, error));
      }
    }

    @Override
    public void onCompleted() {
      if (current()) {
        queue.add(new StorageException("etcd ended the watch on " + prefix));
      }
    }
  }

  static WatchEvent convert(io.etcd.jetcd.watch.WatchEvent e) {
    io.etcd.jetcd.KeyValue raw = e.getKeyValue();
    io.etcd.jetcd.KeyValue rawPrev = e.getPrevKV();
    KeyValue prev =
        rawPrev == null || rawPrev.getModRevision() == 0 ? null : EtcdKeys.toKeyValue(rawPrev);
    if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.DELETE) {
      long createRevision = prev == null ? 0 : prev.createRevision();
      KeyValue marker =
          new KeyValue(
              raw.getKey().toString(UTF_8), EMPTY, createRevision, raw.getModRevision(), 0);
      return new WatchEvent(WatchEvent.Type.DELETE, marker, prev);
    }
    KeyValue kv = EtcdKeys.toKeyValue(raw);
    if (kv.createRevision() == kv.modRevision()) {
      return new WatchEvent(WatchEvent.Type.CREATE, kv, null);
    }
    return new WatchEvent(WatchEvent.Type.UPDATE, kv, prev);
  }

  private void run() {
    try {
      while (true) {
        Object item = queue.poll(1, TimeUnit.SECONDS);
        if (item == null) {
          Stream current = stream;
          if (current.stuck()) {
            item = new Broken(current, new StorageException("etcd did not confirm the watch"));
          } else {
            continue;
          }
        }
        if (item == STOP || closed) {
          return;
        }
        switch (item) {
          case StorageException error -> {
            end(error);
            return;
          }
          case Broken broken -> {
            if (!reopen(broken)) {
              return;
            }
          }
          case WatchEvent event -> deliver(event);
          default -> throw new IllegalStateException("unexpected watch item " + item);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Every event queued before the break has been delivered by now, so the new stream starts right
   * after the last one; anything etcd sends twice is dropped by revision.
   */
  private boolean reopen(Broken broken) throws InterruptedException {
    if (broken.stream != stream) {
      return true;
    }
    broken.stream.stop();
    long now = System.currentTimeMillis();
    if (failingSinceMillis == 0) {
      failingSinceMillis = now;
    } else if (now - failingSinceMillis > GIVE_UP_MILLIS) {
      end(new StorageException("etcd watch on " + prefix + " lost: " + broken.cause, broken.cause));
      return false;
    }
    LOG.debug("etcd watch on {} broke at revision {}; reopening", prefix, delivered, broken.cause);
    Thread.sleep(RETRY_MILLIS);
    if (closed) {
      return false;
    }
    Stream next = new Stream();
    stream = next;
    next.start(delivered + 1);
    return true;
  }

  private void deliver(WatchEvent event) {
    if (event.revision() <= delivered) {
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
    closed = true;
    stream.stop();
    listener.onError(error);
  }

  @Override
  public void close() {
    closed = true;
    stream.stop();
    queue.add(STOP);
  }
}
