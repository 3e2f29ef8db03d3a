package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;

/**
 * A watch over a plain HTTP/1.1 socket, read as lines of the chunked body: the harness opens a
 * thousand of these, more than a pooled HTTP client handles comfortably. It scans bytes in its own
 * buffers and decodes only the object name it looks for, so that its share of the cores stays small
 * beside the server's.
 */
final class ApiServerBenchmarkWatch implements AutoCloseable {
  private static final byte[] NAME = "\"name\":\"".getBytes(US_ASCII);

  private final Socket socket;
  private final InputStream in;

  // Bytes read from the socket, not yet parsed: raw[rawPos, rawEnd).
  private final byte[] raw = new byte[64 * 1024];
  private int rawPos;
  private int rawEnd;

  // Body bytes (chunk framing removed) not yet returned: body[0, bodyEnd).
  private byte[] body = new byte[64 * 1024];
  private int bodyEnd;
  private int scanned;
  private boolean ended;

  ApiServerBenchmarkWatch(int port, String path) throws IOException {
    socket = new Socket("127.0.0.1", port);
    OutputStream out = socket.getOutputStream();
    out.write(
        ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
            .getBytes(US_ASCII));
    out.flush();
    in = socket.getInputStream();
    String status = rawLine();
    if (status == null || !status.startsWith("HTTP/1.1 200")) {
      throw new IOException("watch failed: " + status);
    }
    String header;
    while ((header = rawLine()) != null && !header.isEmpty()) {
      // Headers; the body is chunked.
    }
  }

  /**
   * The object name in the next event line whose name starts with {@code prefix}; null at the end
   * of the stream. Lines of other objects (and bookmarks) are skipped.
   */
  String nextName(String prefix) throws IOException {
    byte[] marker = (new String(NAME, US_ASCII) + prefix).getBytes(UTF_8);
    while (true) {
      int nl = -1;
      for (int i = scanned; i < bodyEnd; i++) {
        if (body[i] == '\n') {
          nl = i;
          break;
        }
      }
      if (nl < 0) {
        scanned = bodyEnd;
        if (ended || !nextChunk()) {
          ended = true;
          return null;
        }
        continue;
      }
      String name = nameIn(0, nl, marker);
      System.arraycopy(body, nl + 1, body, 0, bodyEnd - nl - 1);
      bodyEnd -= nl + 1;
      scanned = 0;
      if (name != null) {
        return name;
      }
    }
  }

  private String nameIn(int from, int to, byte[] marker) {
    outer:
    for (int i = from; i + marker.length <= to; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (body[i + j] != marker[j]) {
          continue outer;
        }
      }
      int start = i + NAME.length;
      for (int k = start; k < to; k++) {
        if (body[k] == '"') {
          return new String(body, start, k - start, UTF_8);
        }
      }
      return null;
    }
    return null;
  }

  /** Appends the next chunk of the body; false at the body's end. */
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
    if (bodyEnd + n > body.length) {
      body = Arrays.copyOf(body, Math.max(body.length * 2, bodyEnd + n));
    }
    while (n > 0) {
      if (rawPos == rawEnd && !fill()) {
        throw new EOFException("chunk cut short");
      }
      int take = Math.min(n, rawEnd - rawPos);
      System.arraycopy(raw, rawPos, body, bodyEnd, take);
      rawPos += take;
      bodyEnd += take;
      n -= take;
    }
    return true;
  }

  private boolean fill() throws IOException {
    int n = in.read(raw, 0, raw.length);
    if (n <= 0) {
      return false;
    }
    rawPos = 0;
    rawEnd = n;
    return true;
  }

  /** A CRLF-terminated line of the framing, without its terminator; null at the end. */
  private String rawLine() throws IOException {
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (rawPos == rawEnd && !fill()) {
        return sb.isEmpty() ? null : sb.toString();
      }
      byte b = raw[rawPos++];
      if (b == '\n') {
        return sb.toString();
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
