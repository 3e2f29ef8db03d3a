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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One etcd watch with previous values. jetcd calls back on its own threads, shared by all watches;
 * events are queued and handed to the listener on this watch's own virtual thread, so a slow
 * listener delays nobody else. jetcd resumes the stream on another member after a failure.
 */
final class EtcdWatch implements Store.Watch, Watch.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdWatch.class);
  private static final Object STOP = new Object();
  private static final byte[] EMPTY = new byte[0];

  private final String prefix;
  private final long afterRevision;
  private final Store.WatchListener listener;
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Watch.Watcher watcher;
  private volatile boolean closed;
  private volatile Throwable lastError;
  private long delivered;

  EtcdWatch(Watch client, String prefix, long afterRevision, Store.WatchListener listener) {
    this.prefix = prefix;
    this.afterRevision = afterRevision;
    this.delivered = afterRevision;
    this.listener = listener;
    WatchOption option =
        WatchOption.builder()
            .withRange(EtcdKeys.rangeEnd(prefix))
            .withRevision(afterRevision + 1)
            .withPrevKV(true)
            .build();
    this.watcher = client.watch(EtcdKeys.rangeStart(prefix), option, this);
    Thread.ofVirtual().name("etcd-watch " + prefix).start(this::run);
  }

  @Override
  public void onNext(WatchResponse response) {
    for (io.etcd.jetcd.watch.WatchEvent e : response.getEvents()) {
      queue.add(convert(e));
    }
  }

  /**
   * jetcd reports every stream failure here, then either resumes the watch from the next revision
   * (lost member, dropped connection) or ends it with {@link #onCompleted}; only compaction is
   * final by itself.
   */
  @Override
  public void onError(Throwable error) {
    if (error instanceof CompactedException compacted) {
      queue.add(new StorageException.Compacted(afterRevision, compacted.getCompactedRevision()));
    } else {
      lastError = error;
      LOG.debug("etcd watch on {} interrupted; jetcd resumes it if it can", prefix, error);
    }
  }

  @Override
  public void onCompleted() {
    Throwable cause = lastError;
    queue.add(
        new StorageException(
            "etcd ended the watch on " + prefix + (cause == null ? "" : ": " + cause), cause));
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
        Object item = queue.take();
        if (item == STOP || closed) {
          return;
        }
        if (item instanceof StorageException error) {
          closed = true;
          watcher.close();
          listener.onError(error);
          return;
        }
        WatchEvent event = (WatchEvent) item;
        if (event.revision() <= delivered) {
          continue;
        }
        delivered = event.revision();
        try {
          listener.onEvent(event);
        } catch (RuntimeException e) {
          LOG.warn("watch listener on {} failed at revision {}", prefix, event.revision(), e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    watcher.close();
    queue.add(STOP);
  }
}
