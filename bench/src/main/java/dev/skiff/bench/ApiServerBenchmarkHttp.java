package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Locale;

/**
 * The API server benchmark's client: one keep-alive HTTP/1.1 connection over a plain socket, one
 * request at a time. It parses only what a response needs to be read whole (status, Content-Length
 * or chunked framing), so that the benchmark's two shared cores go to the server under test rather
 * than to a general-purpose client; the server still does its full work for each request.
 */
final class ApiServerBenchmarkHttp implements AutoCloseable {
  /** A response's status and body. */
  record Response(int status, byte[] body) {}

  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;
  // What was read from the socket and not yet consumed: buf[pos, limit).
  private final byte[] buf = new byte[64 * 1024];
  private int pos;
  private int limit;

  ApiServerBenchmarkHttp(int port) {
    this.port = port;
  }

  Response send(String method, String path, byte[] body) throws IOException {
    if (socket == null) {
      connect();
    }
    StringBuilder head = new StringBuilder(128);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    head.append("Accept: application/json\r\n");
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ")
          .append(body.length)
          .append("\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(US_ASCII));
    if (body != null) {
      out.write(body);
    }
    out.flush();
    return readResponse();
  }

  private void connect() throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    in = socket.getInputStream();
    pos = 0;
    limit = 0;
    out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
  }

  private Response readResponse() throws IOException {
    String status = line();
    if (status == null || !status.startsWith("HTTP/1.1 ")) {
      close();
      throw new IOException("bad response status line: " + status);
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean keepAlive = true;
    String h;
    while ((h = line()) != null && !h.isEmpty()) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> keepAlive = !value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] body;
    if (chunked) {
      body = chunkedBody();
    } else if (length >= 0) {
      body = bytes((int) length);
    } else {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      all.write(buf, pos, limit - pos);
      pos = limit;
      in.transferTo(all);
      body = all.toByteArray();
      keepAlive = false;
    }
    if (!keepAlive) {
      close();
    }
    return new Response(code, body);
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      if (size == null) {
        throw new EOFException("chunked body cut short");
      }
      if (size.isEmpty()) {
        continue;
      }
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        while ((size = line()) != null && !size.isEmpty()) {
          // Trailers.
        }
        return body.toByteArray();
      }
      body.write(bytes(n));
    }
  }

  /** The next line without its CR LF, or null at the end of the stream. */
  private String line() throws IOException {
    StringBuilder spill = null;
    while (true) {
      for (int i = pos; i < limit; i++) {
        if (buf[i] == '\n') {
          int end = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
          String part = new String(buf, pos, end - pos, US_ASCII);
          pos = i + 1;
          if (spill == null) {
            return part;
          }
          spill.append(part);
          int last = spill.length() - 1;
          return last >= 0 && spill.charAt(last) == '\r'
              ? spill.substring(0, last)
              : spill.toString();
        }
      }
      if (spill == null) {
        spill = new StringBuilder();
      }
      spill.append(new String(buf, pos, limit - pos, US_ASCII));
      pos = limit;
      if (!fill()) {
        return spill.isEmpty() ? null : spill.toString();
      }
    }
  }

  /** Exactly {@code n} bytes of the stream. */
  private byte[] bytes(int n) throws IOException {
    byte[] out = new byte[n];
    int have = Math.min(n, limit - pos);
    System.arraycopy(buf, pos, out, 0, have);
    pos += have;
    if (have < n && in.readNBytes(out, have, n - have) != n - have) {
      throw new EOFException("response body cut short");
    }
    return out;
  }

  private boolean fill() throws IOException {
    int n = in.read(buf, 0, buf.length);
    pos = 0;
    limit = Math.max(n, 0);
    return n > 0;
  }

  @Override
  public void close() throws IOException {
    if (socket != null) {
      Socket s = socket;
      socket = null;
      s.close();
    }
  }
}
