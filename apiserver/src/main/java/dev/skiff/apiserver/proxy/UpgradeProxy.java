package dev.skiff.apiserver.proxy;

import dev.skiff.apiserver.errors.ApiException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Forwards an upgrade request (exec, attach, port-forward) to the kubelet over a connection of its
 * own. When the kubelet switches protocols, its 101 goes back to the client and both connections
 * become a {@link TunnelConnection}; any other answer is relayed as an ordinary response.
 */
final class UpgradeProxy {
  /** Upstream caps the head of a backend's upgrade response; so do we. */
  private static final int MAX_HEAD_BYTES = 64 * 1024;

  private static final int MAX_ERROR_BODY_BYTES = 1024 * 1024;

  private final KubeletClient client;

  UpgradeProxy(KubeletClient client) {
    this.client = client;
  }

  static boolean isUpgrade(Request request) {
    String connection = request.getHeaders().get("Connection");
    return connection != null
        && connection.toLowerCase(Locale.ROOT).contains("upgrade")
        && request.getHeaders().get("Upgrade") != null;
  }

  void proxy(
      Request request,
      Response response,
      Callback callback,
      KubeletAddress address,
      String pathAndQuery) {
    if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1) {
      throw ApiException.badRequest("upgrade requests require HTTP/1.1");
    }
    Socket kubelet;
    try {
      kubelet = client.connect(address);
    } catch (IOException e) {
      throw unreachable(address, e);
    }
    try {
      OutputStream out = kubelet.getOutputStream();
      out.write(requestHead(request, address, pathAndQuery));
      out.flush();
      InputStream in = new BufferedInputStream(kubelet.getInputStream());
      List<String> head = readHead(in);
      int status = statusCode(head.get(0));
      if (status == 101) {
        response.setStatus(101);
        for (String h : head.subList(1, head.size())) {
          int colon = h.indexOf(':');
          response.getHeaders().add(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
        }
        request.setAttribute(
            HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
            new TunnelConnection(
                request.getConnectionMetaData().getConnection().getEndPoint(),
                request.getComponents().getExecutor(),
                kubelet,
                in));
        callback.succeeded();
        return;
      }
      byte[] body = in.readNBytes(contentLength(head));
      kubelet.close();
      relayRefusal(response, callback, status, head, body);
    } catch (IOException e) {
      closeQuietly(kubelet);
      throw unreachable(address, e);
    }
  }

  private static byte[] requestHead(Request request, KubeletAddress address, String pathAndQuery) {
    StringBuilder sb = new StringBuilder();
    sb.append(request.getMethod()).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n");
    sb.append("Host: ").append(address.hostHeader()).append("\r\n");
    for (HttpField f : request.getHeaders()) {
      if (!forwarded(f.getName())) {
        continue;
      }
      sb.append(f.getName()).append(": ").append(f.getValue()).append("\r\n");
    }
    sb.append("\r\n");
    return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The client's credentials are for us, not the kubelet; the body, if any, is not relayed. */
  private static boolean forwarded(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return !(n.equals("host")
        || n.equals("authorization")
        || n.startsWith("impersonate-")
        || n.equals("content-length")
        || n.equals("transfer-encoding"));
  }

  private static List<String> readHead(InputStream in) throws IOException {
    List<String> lines = new ArrayList<>();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int total = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed before the response head ended");
      }
      if (++total > MAX_HEAD_BYTES) {
        throw new IOException("response head too large");
      }
      if (b == '\n') {
        String s = line.toString(StandardCharsets.ISO_8859_1);
        if (s.endsWith("\r")) {
          s = s.substring(0, s.length() - 1);
        }
        if (s.isEmpty()) {
          if (lines.isEmpty()) {
            throw new IOException("empty response");
          }
          return lines;
        }
        lines.add(s);
        line.reset();
      } else {
        line.write(b);
      }
    }
  }

  private static int statusCode(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    try {
      return Integer.parseInt(parts[1]);
    } catch (RuntimeException e) {
      throw new IOException("malformed status line: " + statusLine, e);
    }
  }

  private static int contentLength(List<String> head) {
    for (String h : head.subList(1, head.size())) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
        try {
          return (int)
              Math.min(Long.parseLong(h.substring(colon + 1).trim()), MAX_ERROR_BODY_BYTES);
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return 0;
  }

  private static void relayRefusal(
      Response response, Callback callback, int status, List<String> head, byte[] body) {
    String contentType = "text/plain; charset=utf-8";
    for (String h : head.subList(1, head.size())) {
      int colon = h.indexOf(':');
      if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Type")) {
        contentType = h.substring(colon + 1).trim();
      }
    }
    response.setStatus(status);
    response.getHeaders().put("Content-Type", contentType);
    response.write(true, ByteBuffer.wrap(body), callback);
  }

  static ApiException unreachable(KubeletAddress address, IOException e) {
    return backendError("error dialing backend: ", address, e);
  }

  /** A failed call to the kubelet in Go's words, as upstream's users see them. */
  static ApiException backendError(String prefix, KubeletAddress address, IOException e) {
    String why =
        e instanceof ConnectException
            ? "dial tcp " + address.hostHeader() + ": connect: connection refused"
            : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new ApiException(500, "InternalError", prefix + why, null, null, null, List.of(), 0);
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // The error that brought us here is the one to report.
    }
  }
}
