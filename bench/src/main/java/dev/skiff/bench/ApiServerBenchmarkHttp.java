package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
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
    in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
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
      body = in.readNBytes((int) length);
      if (body.length != length) {
        throw new EOFException("response body cut short");
      }
    } else {
      body = in.readAllBytes();
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
      byte[] chunk = in.readNBytes(n);
      if (chunk.length != n) {
        throw new EOFException("chunk cut short");
      }
      body.write(chunk);
    }
  }

  private String line() throws IOException {
    StringBuilder sb = new StringBuilder(64);
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
    if (socket != null) {
      Socket s = socket;
      socket = null;
      s.close();
    }
  }
}
