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
import dev.skiff.apiserver.watch.WatchStream;
import dev.skiff.apiserver.watch.Watcher;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * watch: a chunked stream of events served from the watch cache, with upstream's resourceVersion
 * rules, bookmarks, {@code sendInitialEvents} and {@code timeoutSeconds}.
 */
public final class WatchHandler {
  /** Upstream's minRequestTimeout: unset timeouts are picked in [30, 60) minutes. */
  private static final long MIN_REQUEST_TIMEOUT_SECONDS = 1800;

  private static final long BOOKMARK_INTERVAL_MS = 60_000;

  private static final int STREAM_BUFFER = 16 * 1024;

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
    Function<CachedObject, byte[]> render = renderer(ex, t, format);
    if (ex.isWebSocketUpgrade()) {
      ex.upgradeToWebSocket(
          new WatchSocket(
              w,
              session ->
                  stream(
                      WatchStream.ofMessages(msg -> WatchSocket.sendText(session, msg), render),
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
    // Buffered so that each event (and each burst drained before a flush) goes out as one chunk
    // and one socket write, not one per fragment of the event's frame.
    OutputStream out = new BufferedOutputStream(ex.startStream("application/json"), STREAM_BUFFER);
    try {
      stream(new WatchStream(out, render), t, o, cache, w, from, deadline);
    } finally {
      try {
        ex.finishStream();
      } catch (RuntimeException e) {
        ex.fail(e);
      }
    }
  }

  /** Sends the watch's events to {@code stream} until it times out or the client leaves. */
  private void stream(
      WatchStream stream,
      ResourceType t,
      ListOptions o,
      WatchCache cache,
      Watcher w,
      long from,
      long deadline) {
    try {
      long start;
      try {
        start = cache.watch(w, from);
      } catch (ApiException gone) {
        stream.event("ERROR", gone.toStatus());
        stream.flush();
        return;
      }
      int initial = o.sendInitialEvents() ? w.initialCount() : -1;
      stream.flush();
      if (initial == 0) {
        stream.event("BOOKMARK", bookmark(t, start, true));
        stream.flush();
      }
      int sent = 0;
      long nextBookmark = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOKMARK_INTERVAL_MS);
      while (!w.overflowed() && !w.terminated()) {
        long now = System.nanoTime();
        if (now >= deadline) {
          break;
        }
        long wait = Math.min(deadline, nextBookmark) - now;
        Watcher.Outgoing e = w.poll(Math.max(wait, 0), TimeUnit.NANOSECONDS);
        if (e != null) {
          stream.event(e.type(), e.object());
          sent++;
          if (sent == initial) {
            stream.event("BOOKMARK", bookmark(t, start, true));
          }
          // Drain what is already queued before flushing, so bursts cost one flush.
          Watcher.Outgoing more;
          while ((more = w.pollNow()) != null) {
            stream.event(more.type(), more.object());
            sent++;
            if (sent == initial) {
              stream.event("BOOKMARK", bookmark(t, start, true));
            }
          }
          stream.flush();
        } else if (System.nanoTime() >= nextBookmark) {
          long rev = cache.revision();
          if (o.allowWatchBookmarks() && w.isEmpty()) {
            stream.event("BOOKMARK", bookmark(t, rev, false));
            stream.flush();
          }
          // Advanced even without bookmarks, or the wait above would drop to zero and spin.
          nextBookmark = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BOOKMARK_INTERVAL_MS);
        }
      }
    } catch (IOException e) {
      // The client went away.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      cache.stop(w);
      try {
        stream.close();
      } catch (IOException e) {
        // The client is gone already.
      }
    }
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
