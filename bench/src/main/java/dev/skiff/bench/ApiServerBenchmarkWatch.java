package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A watch over a plain HTTP/1.1 socket, read as lines of the chunked body: the harness opens a
 * thousand of these, more than a pooled HTTP client handles comfortably.
 */
final class ApiServerBenchmarkWatch implements AutoCloseable {
  private final Socket socket;
  private final InputStream in;
  private final Pending pending = new Pending();
  private boolean ended;

  ApiServerBenchmarkWatch(int port, String path) throws IOException {
    socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
            .getBytes(US_ASCII));
    out.flush();
    in = new BufferedInputStream(socket.getInputStream());
    String status = rawLine();
    if (!status.startsWith("HTTP/1.1 200")) {
      throw new IOException("watch failed: " + status);
    }
    while (!rawLine().isEmpty()) {
      // Headers; the body is chunked.
    }
  }

  /** The next line of the body, or null at its end. */
  String line() throws IOException {
    while (true) {
      for (int i = 0; i < pending.size(); i++) {
        if (pending.at(i) == '\n') {
          return pending.take(i);
        }
      }
      if (ended || !nextChunk()) {
        ended = true;
        return pending.size() == 0 ? null : pending.take(pending.size());
      }
    }
  }

  /** Appends the next chunk of the body to {@code pending}; false at the body's end. */
  private boolean nextChunk() throws IOException {
    String size;
    do {
      size = rawLine();
      if (size == null) {
        return false;
      }
    } while (size.isEmpty());
    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
    if (n == 0) {
      return false;
    }
    byte[] chunk = in.readNBytes(n);
    pending.write(chunk, 0, chunk.length);
    return chunk.length == n;
  }

  private String rawLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return b < 0 && sb.isEmpty() ? null : sb.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Body bytes read but not yet returned as lines. */
  private static final class Pending extends ByteArrayOutputStream {
    byte at(int i) {
      return buf[i];
    }

    /** Removes and returns the first {@code n} bytes as a line, dropping a newline after them. */
    String take(int n) {
      String line = new String(buf, 0, n, UTF_8);
      int drop = Math.min(count, n + 1);
      System.arraycopy(buf, drop, buf, 0, count - drop);
      count -= drop;
      return line;
    }
  }
}
