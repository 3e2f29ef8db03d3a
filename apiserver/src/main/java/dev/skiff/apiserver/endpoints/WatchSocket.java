package dev.skiff.apiserver.endpoints;

import dev.skiff.apiserver.watch.Watcher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A watch over WebSocket: once the socket opens, the events stream as one text message each on a
 * virtual thread; the client closing the socket ends the watch. Public because Jetty invokes the
 * listener methods reflectively.
 */
public final class WatchSocket implements Session.Listener.AutoDemanding {
  private final Watcher watcher;
  private final Consumer<Session> body;

  WatchSocket(Watcher watcher, Consumer<Session> body) {
    this.watcher = watcher;
    this.body = body;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    Thread.ofVirtual()
        .name("watch-websocket")
        .start(
            () -> {
              try {
                body.accept(session);
              } finally {
                session.close();
              }
            });
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    watcher.terminate();
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    watcher.terminate();
  }

  static void sendText(Session session, byte[] message) throws IOException {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    session.sendText(
        new String(message, StandardCharsets.UTF_8),
        new Callback() {
          @Override
          public void succeed() {
            sent.complete(null);
          }

          @Override
          public void fail(Throwable x) {
            sent.completeExceptionally(x);
          }
        });
    try {
      sent.get();
    } catch (ExecutionException e) {
      throw new IOException("websocket send failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
