package dev.skiff.runtime.cri;

import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerRuntimeException.Code;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * A WebSocket speaking Kubernetes' {@code v4.channel.k8s.io} framing to a CRI runtime's streaming
 * server: every binary message starts with a channel byte. Incoming messages go to a handler by
 * channel; {@link #closed()} completes when the server ends the session.
 */
final class ChannelSocket implements WebSocket.Listener {
  static final String PROTOCOL = "v4.channel.k8s.io";
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private final BiConsumer<Integer, byte[]> handler;
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private WebSocket socket;

  private ChannelSocket(BiConsumer<Integer, byte[]> handler) {
    this.handler = handler;
  }

  /** Opens {@code url} (the http URL CRI's Exec/Attach/PortForward returned). */
  static ChannelSocket open(String url, BiConsumer<Integer, byte[]> handler) {
    ChannelSocket s = new ChannelSocket(handler);
    URI uri = URI.create(url.replaceFirst("^http", "ws"));
    try {
      s.socket =
          HTTP.newWebSocketBuilder()
              .subprotocols(PROTOCOL)
              .buildAsync(uri, s)
              .get(30, TimeUnit.SECONDS);
      return s;
    } catch (ExecutionException | TimeoutException e) {
      throw new ContainerRuntimeException(
          Code.UNAVAILABLE, "cannot open the runtime's stream " + uri + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException(Code.UNAVAILABLE, "interrupted opening " + uri, e);
    }
  }

  /** Sends {@code data} on {@code channel}; waits so that writes stay in order. */
  synchronized void send(int channel, byte[] data, int off, int len) {
    ByteBuffer message = ByteBuffer.allocate(len + 1);
    message.put((byte) channel).put(data, off, len).flip();
    try {
      socket.sendBinary(message, true).get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new ContainerRuntimeException(Code.UNAVAILABLE, "stream write failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ContainerRuntimeException(Code.UNAVAILABLE, "interrupted writing a stream", e);
    }
  }

  CompletableFuture<Void> closed() {
    return closed;
  }

  void close() {
    if (!socket.isOutputClosed()) socket.sendClose(WebSocket.NORMAL_CLOSURE, "");
    socket.abort();
    closed.complete(null);
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] bytes = new byte[data.remaining()];
    data.get(bytes);
    partial.write(bytes, 0, bytes.length);
    if (last) {
      byte[] message = partial.toByteArray();
      partial.reset();
      if (message.length > 0) {
        byte[] payload = new byte[message.length - 1];
        System.arraycopy(message, 1, payload, 0, payload.length);
        handler.accept(message[0] & 0xff, payload);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closed.complete(null);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    closed.complete(null);
  }
}
