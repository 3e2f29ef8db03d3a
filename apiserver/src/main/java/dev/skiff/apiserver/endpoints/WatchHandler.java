package dev.skiff.apiserver.endpoints;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.apiserver.http.Exchange;
import dev.skiff.apiserver.http.Json;
import dev.skiff.apiserver.table.OutputFormat;
import dev.skiff.apiserver.table.TableConverter;
import dev.skiff.apiserver.watch.CachedObject;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchFrame;
import dev.skiff.apiserver.watch.Watcher;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.eclipse.jetty.util.FutureCallback;

/**
 * watch: a chunked stream of events served from the watch cache, with upstream's resourceVersion
 * rules, bookmarks, {@code sendInitialEvents} and {@code timeoutSeconds}.
 */
public final class WatchHandler {
  /** Upstream's minRequestTimeout: unset timeouts are picked in [30, 60) minutes. */
  private static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;

  private static final long BOOKMARK_INTERVAL_MS = 60_000;

  /** How long a watch that has ended waits for its last write to reach the client. */
  private static final long STALLED_WRITE_SECONDS = 30;

  private final RestContext ctx;
  private final ReadHandlers reads;

  public WatchHandler(RestContext ctx, ReadHandlers reads) {
    this.ctx = ctx;
    this.reads = reads;
  }

  public void watch(Exchange ex, ResourceType t, String ns, String name) {
    ListOptions o = ListOptions.parse(ex, t, name);
    if (o.sendInitialEvents()) {
      if (!o.resourceVersionMatch().equals("NotOlderThan")) {
        throw ApiException.badRequest(
            "sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless"
                + " resourceVersionMatch is set to NotOlderThan");
      }
      if (!o.allowWatchBookmarks()) {
        throw ApiException.badRequest(
            "allowWatchBookmarks: Forbidden: sendInitialEvents requires setting"
                + " allowWatchBookmarks to true");
      }
    } else if (!o.resourceVersionMatch().isEmpty()) {
      throw ApiException.badRequest(
          "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless"
              + " sendInitialEvents is provided");
    }
    OutputFormat format = OutputFormat.negotiate(ex.accept());
    String rv = o.resourceVersion();
    boolean fromState = o.sendInitialEvents() || rv.isEmpty() || rv.equals("0");
    long from = fromState ? -1 : ListOptions.parseRevision(rv);
    if (rv.isEmpty()) {
      try {
        ctx.caches().awaitFresh(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    } else if (!rv.equals("0")) {
      reads.awaitRevision(ListOptions.parseRevision(rv));
    }
    WatchCache cache = ctx.caches().cache(t);
    Watcher w = new Watcher(o.filter(t, t.namespaced() ? ns : ""));
    long timeout =
        o.timeoutSeconds() > 0
            ? o.timeoutSeconds()
            : MIN_REQUEST_TIMEOUT_SECONDS
                + ThreadLocalRandom.current().nextLong(MIN_REQUEST_TIMEOUT_SECONDS);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeout);
    Function<Watcher.Outgoing, byte[]> frames = frames(ex, t, format);
    if (ex.isWebSocketUpgrade()) {
      ex.upgradeToWebSocket(
          new WatchSocket(
              w,
              session ->
                  stream(
                      (bytes, done) -> WatchSocket.sendText(session, bytes, done),
                      false,
                      frames,
                      t,
                      o,
                      cache,
                      w,
                      from,
                      deadline)));
      return;
    }
    // A client that resets its stream or drops the connection ends the watch now, not at the
    // next write.
    ex.onFailure(w::terminate);
    ex.startStream("application/json");
    Throwable failure = stream(ex::write, true, frames, t, o, cache, w, from, deadline);
    if (failure == null) {
      try {
        ex.finishStream();
      } catch (RuntimeException e) {
        ex.fail(e);
      }
    } else {
      ex.fail(failure);
    }
  }

  /**
   * Registers the watch and lets a {@link WatchWriter} send its events to {@code sink}; this thread
   * only waits, for the timeout, for the watch to end early, and to queue periodic bookmarks.
   *
   * @return why the stream failed, or null
   */
  private Throwable stream(
      WatchWriter.Sink sink,
      boolean batches,
      Function<Watcher.Outgoing, byte[]> frames,
      ResourceType t,
      ListOptions o,
      WatchCache cache,
      Watcher w,
      long from,
      long deadline) {
    WatchWriter writer = new WatchWriter(w, sink, batches, frames);
    w.onQueued(writer::iterate);
    long start;
    try {
      start = cache.watch(w, from);
    } catch (ApiException gone) {
      FutureCallback sent = new FutureCallback();
      sink.write(ByteBuffer.wrap(WatchFrame.encode("ERROR", Json.bytes(gone.toStatus()))), sent);
      try {
        sent.get();
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return e;
      } catch (ExecutionException e) {
        return e.getCause();
      }
    }
    try {
      writer.start(
          o.sendInitialEvents() ? w.initialCount() : -1,
          WatchFrame.encode("BOOKMARK", Json.bytes(bookmark(t, start, true))));
      long nextBookmark = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOKMARK_INTERVAL_MS);
      while (true) {
        long now = System.nanoTime();
        if (now >= deadline) {
          break;
        }
        try {
          w.ended().get(Math.min(deadline, nextBookmark) - now, TimeUnit.NANOSECONDS);
          break;
        } catch (TimeoutException e) {
          // A bookmark is due, or the deadline passed.
        }
        if (System.nanoTime() >= nextBookmark) {
          if (o.allowWatchBookmarks()) {
            cache.bookmark(w);
          }
          nextBookmark = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOKMARK_INTERVAL_MS);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // ended() only ever completes normally.
    } finally {
      cache.stop(w);
      writer.stop();
    }
    try {
      writer.finished().get(STALLED_WRITE_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (TimeoutException e) {
      // A client that stopped reading (one cut off for falling behind, say): failing the response
      // aborts its pending write and frees the connection, rather than at the idle timeout.
      return new TimeoutException("the watch client stopped reading");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    } catch (ExecutionException e) {
      return e.getCause();
    }
  }

  /** The encoded event for each queued item, in the format the client asked for. */
  private Function<Watcher.Outgoing, byte[]> frames(
      Exchange ex, ResourceType t, OutputFormat format) {
    // As stored: every watcher shares the one encoding of each event.
    boolean shared = format == OutputFormat.OBJECT && ctx.codec().storageType(t).equals(t);
    Function<CachedObject, byte[]> render = renderer(ex, t, format);
    return out -> {
      if (out.object() == null) {
        return WatchFrame.encode("BOOKMARK", Json.bytes(bookmark(t, out.revision(), false)));
      }
      return shared
          ? out.object().frame(out.type())
          : WatchFrame.encode(out.type(), render.apply(out.object()));
    };
  }

  private Function<CachedObject, byte[]> renderer(Exchange ex, ResourceType t, OutputFormat f) {
    boolean sameShape = ctx.codec().storageType(t).equals(t);
    Function<CachedObject, ObjectNode> served = c -> ctx.codec().toServed(c.object().deepCopy(), t);
    return switch (f) {
      case OBJECT -> sameShape ? CachedObject::json : c -> Json.bytes(served.apply(c));
      case PARTIAL_METADATA -> c -> Json.bytes(TableConverter.partial(c.object()));
      case TABLE -> {
        String include = ex.query("includeObject");
        boolean[] first = {true};
        yield c -> {
          ObjectNode table =
              TableConverter.table(
                  ctx.resources().strategy(t),
                  List.of(served.apply(c)),
                  include,
                  obj -> ctx.codec().toStorage(obj, t),
                  first[0]);
          first[0] = false;
          return Json.bytes(table);
        };
      }
    };
  }

  private static ObjectNode bookmark(ResourceType t, long revision, boolean initialEventsEnd) {
    ObjectNode b = Json.object();
    b.put("kind", t.kind());
    b.put("apiVersion", t.groupVersion());
    ObjectNode m = b.putObject("metadata");
    m.put("resourceVersion", Long.toString(revision));
    m.putNull("creationTimestamp");
    if (initialEventsEnd) {
      m.putObject("annotations").put("k8s.io/initial-events-end", "true");
    }
    return b;
  }
}
