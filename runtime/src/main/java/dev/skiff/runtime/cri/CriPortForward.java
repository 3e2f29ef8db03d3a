package dev.skiff.runtime.cri;

import dev.skiff.runtime.PortForwardStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One forwarded connection through the CRI runtime's streaming server ({@code ?port=N}, channel 0
 * data and 1 error). The server's first message on each channel only repeats the port (two
 * little-endian bytes) and is skipped. The WebSocket protocol has no half-close, so closing {@link
 * #output()} only flushes; {@link #close()} ends the connection.
 */
final class CriPortForward implements PortForwardStream {
  private final ChunkInputStream input = new ChunkInputStream();
  private final ChannelSocket socket;
  private boolean dataHeaderSeen;
  private boolean errorHeaderSeen;
  private final StringBuilder error = new StringBuilder();

  CriPortForward(String url, int port) {
    String withPort = url + (url.contains("?") ? "&" : "?") + "port=" + port;
    this.socket = ChannelSocket.open(withPort, this::receive);
    socket.closed().whenComplete((v, e) -> input.end());
  }

  private synchronized void receive(int channel, byte[] payload) {
    if (channel == 0) {
      if (!dataHeaderSeen) {
        dataHeaderSeen = true;
        if (payload.length <= 2) return;
        payload = Arrays.copyOfRange(payload, 2, payload.length);
      }
      input.offer(payload);
    } else if (channel == 1) {
      if (!errorHeaderSeen) {
        errorHeaderSeen = true;
        if (payload.length <= 2) return;
        payload = Arrays.copyOfRange(payload, 2, payload.length);
      }
      error.append(new String(payload, StandardCharsets.UTF_8));
    }
  }

  /** What the runtime reported on the error channel, empty when nothing went wrong. */
  synchronized String error() {
    return error.toString();
  }

  @Override
  public InputStream input() {
    return input;
  }

  @Override
  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        socket.send(0, b, off, len);
      }
    };
  }

  @Override
  public void close() {
    socket.close();
  }
}
