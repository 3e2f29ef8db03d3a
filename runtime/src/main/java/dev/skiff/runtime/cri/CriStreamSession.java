package dev.skiff.runtime.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.runtime.StreamSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * An exec or attach through the CRI runtime's streaming server. Channel 3 carries the final {@code
 * metav1.Status}: Success is exit code 0, {@code NonZeroExitCode} names the code in its {@code
 * ExitCode} cause; a session that ends without a status ends with -1.
 */
final class CriStreamSession implements StreamSession {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChunkInputStream stdout = new ChunkInputStream();
  private final ChunkInputStream stderr = new ChunkInputStream();
  private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();
  private final ChannelSocket socket;
  private final boolean tty;

  CriStreamSession(String url, boolean tty) {
    this.tty = tty;
    this.socket = ChannelSocket.open(url, this::receive);
    socket
        .closed()
        .whenComplete(
            (v, e) -> {
              stdout.end();
              stderr.end();
              exitCode.complete(-1);
            });
  }

  private void receive(int channel, byte[] payload) {
    switch (channel) {
      case 1 -> stdout.offer(payload);
      case 2 -> stderr.offer(payload);
      case 3 -> exitCode.complete(exitCodeOf(payload));
      default -> {}
    }
  }

  static int exitCodeOf(byte[] status) {
    try {
      JsonNode s = JSON.readTree(status);
      if ("Success".equals(s.path("status").asText())) return 0;
      for (JsonNode cause : s.path("details").path("causes")) {
        if ("ExitCode".equals(cause.path("reason").asText())) {
          return Integer.parseInt(cause.path("message").asText());
        }
      }
      return -1;
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public OutputStream stdin() {
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
  public InputStream stdout() {
    return stdout;
  }

  @Override
  public InputStream stderr() {
    if (tty) stderr.end();
    return stderr;
  }

  @Override
  public void resize(int width, int height) {
    if (!tty) return;
    byte[] size =
        ("{\"Width\":" + width + ",\"Height\":" + height + "}").getBytes(StandardCharsets.UTF_8);
    socket.send(4, size, 0, size.length);
  }

  @Override
  public CompletableFuture<Integer> exitCode() {
    return exitCode;
  }

  @Override
  public void close() {
    socket.close();
  }
}
