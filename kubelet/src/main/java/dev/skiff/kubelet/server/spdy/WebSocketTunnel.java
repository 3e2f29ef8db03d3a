package dev.skiff.kubelet.server.spdy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * SPDY tunnelled in WebSocket binary messages, as kubectl 1.30+ speaks port-forward (subprotocol
 * {@code SPDY/3.1+portforward.k8s.io}): message boundaries mean nothing, the messages' bytes in
 * order are the SPDY connection. Public because Jetty calls the listener reflectively.
 */
public final class WebSocketTunnel implements Session.Listener.AutoDemanding {
  private final SpdySession.StreamHandler handler;
  private final ChunkedInput input = new ChunkedInput();
  private volatile Session socket;

  public WebSocketTunnel(SpdySession.StreamHandler handler) {
    this.handler = handler;
  }

  @Override
  public void onWebSocketOpen(Session session) {
    socket = session;
    SpdySession spdy =
        new SpdySession(
            input,
            new MessageOutput(session),
            () -> {
              input.close();
              session.close(StatusCode.NORMAL, null, Callback.NOOP);
            },
            handler);
    Thread.ofVirtual().name("kubelet-spdy-ws").start(spdy::serve);
  }

  @Override
  public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    try {
      input.put(bytes);
      callback.succeed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.fail(e);
    }
  }

  @Override
  public void onWebSocketText(String message) {
    // The tunnel carries binary SPDY only; text means a client we do not understand.
    socket.close(StatusCode.PROTOCOL, "SPDY tunnel expects binary messages", Callback.NOOP);
    input.finish();
  }

  @Override
  public void onWebSocketClose(int statusCode, String reason, Callback callback) {
    input.finish();
    callback.succeed();
  }

  @Override
  public void onWebSocketError(Throwable cause) {
    input.finish();
  }

  /** Each write is one binary message, sent before the call returns. */
  private static final class MessageOutput extends OutputStream {
    private final Session session;

    MessageOutput(Session session) {
      this.session = session;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      CompletableFuture<Void> sent = new CompletableFuture<>();
      session.sendBinary(
          ByteBuffer.wrap(b, off, len),
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
        throw new IOException("WebSocket send failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }
  }
}
