package dev.skiff.apiserver.endpoints;

import dev.skiff.apiserver.watch.Watcher;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * Sends one watcher's queued events to its client without a thread of its own: the thread that
 * queues an event starts a write when none is pending, and each write's completion starts the next,
 * carrying every event that queued behind it in one chunk. A slow client therefore holds up no one
 * else; its queue grows until the watcher cuts it off.
 */
final class WatchWriter extends IteratingCallback {
  /** Where the frames go: the response body, or one WebSocket message per call. */
  @FunctionalInterface
  interface Sink {
    void write(ByteBuffer frames, Callback done);
  }

  // Above this a batch goes out and the rest waits for the next write.
  private static final int MAX_BATCH = 256 * 1024;

  private final Watcher watcher;
  private final Sink sink;
  private final boolean batches;
  private final Function<Watcher.Outgoing, byte[]> frames;
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private volatile boolean started;
  private volatile boolean closing;
  // Written only by process(), which never runs concurrently with itself.
  private int initialEvents = -1;
  private byte[] initialEventsEnd;
  private int sent;

  /**
   * @param batches whether frames may share a write (a chunked stream) or go one per write (a
   *     WebSocket message each)
   * @param frames the encoded event for each queued item
   */
  WatchWriter(
      Watcher watcher, Sink sink, boolean batches, Function<Watcher.Outgoing, byte[]> frames) {
    this.watcher = watcher;
    this.sink = sink;
    this.batches = batches;
    this.frames = frames;
  }

  /**
   * Starts sending once the watch is registered; with {@code initialEventsEnd}, that frame follows
   * the first {@code initialEvents} events (sendInitialEvents' closing bookmark).
   */
  void start(int initialEvents, byte[] initialEventsEnd) {
    this.initialEvents = initialEvents;
    this.initialEventsEnd = initialEventsEnd;
    started = true;
    iterate();
  }

  /** Stops after the write in progress, if any; {@link #finished()} completes then. */
  void stop() {
    closing = true;
    iterate();
  }

  /** Completes when the writer has stopped, exceptionally when a write failed. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  @Override
  protected Action process() {
    if (closing || watcher.terminated()) {
      return Action.SUCCEEDED;
    }
    if (!started) {
      return Action.IDLE;
    }
    byte[] first = null;
    ByteArrayOutputStream more = null;
    while (more == null || more.size() < MAX_BATCH) {
      byte[] frame;
      if (sent == initialEvents && initialEventsEnd != null) {
        frame = initialEventsEnd;
        initialEventsEnd = null;
      } else {
        Watcher.Outgoing o = watcher.pollNow();
        if (o == null) {
          break;
        }
        if (!o.type().equals("BOOKMARK")) {
          sent++;
        }
        frame = frames.apply(o);
      }
      if (first == null) {
        first = frame;
        if (!batches) {
          break;
        }
      } else {
        if (more == null) {
          more = new ByteArrayOutputStream(first.length + frame.length);
          more.writeBytes(first);
        }
        more.writeBytes(frame);
      }
    }
    if (first == null) {
      return Action.IDLE;
    }
    // A single frame is the shared encoding itself: wrapped, never copied.
    sink.write(ByteBuffer.wrap(more == null ? first : more.toByteArray()), this);
    return Action.SCHEDULED;
  }

  @Override
  protected void onCompleteSuccess() {
    finished.complete(null);
  }

  @Override
  protected void onCompleteFailure(Throwable cause) {
    finished.completeExceptionally(cause);
    watcher.terminate();
  }
}
