package dev.skiff.apiserver.endpoints;

import dev.skiff.apiserver.watch.Watcher;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A watch over WebSocket: once the socket opens, the events stream as one text message each, sent
 * by the watch's writer; the client closing the socket ends the watch. Public because Jetty invokes
 * the listener methods reflectively.
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

  /** Sends {@code message} as one text message; {@code done} runs once it is sent. */
  static void sendText(Session session, ByteBuffer message, org.eclipse.jetty.util.Callback done) {
    session.sendText(
        StandardCharsets.UTF_8.decode(message).toString(),
        new Callback() {
          @Override
          public void succeed() {
            done.succeeded();
          }

          @Override
          public void fail(Throwable x) {
            done.failed(x);
          }
        });
  }
}
