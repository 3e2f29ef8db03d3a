package dev.skiff.dashboard.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * Forwards {@code /api} and {@code /apis} requests to the API server with the proxy's credentials,
 * streaming response bodies as they arrive so that watches and followed logs stay live. Whatever
 * credentials the browser sends are dropped: the proxy acts as its own user, as {@code kubectl
 * proxy} does.
 */
final class ForwardingHandler extends Handler.Abstract {
  private static final List<String> PREFIXES = List.of("/api", "/apis", "/version");
  private static final Set<String> REQUEST_HEADERS = Set.of("accept", "content-type");
  private static final Set<String> RESPONSE_HEADERS =
      Set.of("content-type", "cache-control", "warning", "retry-after", "location");

  private final Upstream upstream;
  private final HttpClient http;

  ForwardingHandler(Upstream upstream) {
    this.upstream = upstream;
    this.http =
        HttpClient.newBuilder()
            .sslContext(upstream.tls())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    if (PREFIXES.stream().noneMatch(p -> path.equals(p) || path.startsWith(p + "/"))) {
      return false;
    }
    if (request.getHeaders().get("Upgrade") != null) {
      Response.writeError(
          request, response, callback, 501, "the dashboard proxy does not forward upgrades");
      return true;
    }
    String query = request.getHttpURI().getQuery();
    URI target =
        URI.create(
            upstream.server()
                + request.getHttpURI().getPath()
                + (query == null ? "" : "?" + query));
    byte[] body = Content.Source.asInputStream(request).readAllBytes();
    HttpRequest.Builder out =
        HttpRequest.newBuilder(target)
            .method(
                request.getMethod(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    request
        .getHeaders()
        .forEach(
            f -> {
              if (REQUEST_HEADERS.contains(f.getLowerCaseName())) {
                out.header(f.getName(), f.getValue());
              }
            });
    if (upstream.bearerToken() != null) {
      out.header("Authorization", "Bearer " + upstream.bearerToken());
    }
    HttpResponse<InputStream> in;
    try {
      in = http.send(out.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      Response.writeError(
          request, response, callback, 502, "cannot reach the API server: " + e.getMessage());
      return true;
    }
    response.setStatus(in.statusCode());
    in.headers()
        .map()
        .forEach(
            (name, values) -> {
              if (RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(v -> response.getHeaders().add(name, v));
              }
            });
    try (InputStream stream = in.body()) {
      // A browser that goes away mid-watch is noticed here, not only at the next write.
      request.addFailureListener(failure -> closeQuietly(stream));
      copy(stream, response);
      callback.succeeded();
    } catch (IOException e) {
      callback.failed(e);
    }
    return true;
  }

  /** Sends every chunk as soon as it arrives: a watch event must not wait for the next one. */
  private static void copy(InputStream from, Response to) throws IOException {
    // Headers go out at once: a watch may have no event to send for minutes, and the browser
    // waits for the headers before it reads any body.
    write(to, ByteBuffer.allocate(0));
    byte[] buffer = new byte[16 * 1024];
    int n;
    while ((n = from.read(buffer)) >= 0) {
      if (n == 0) {
        continue;
      }
      write(to, ByteBuffer.wrap(buffer, 0, n));
    }
  }

  private static void write(Response to, ByteBuffer chunk) throws IOException {
    try (Blocker.Callback written = Blocker.callback()) {
      to.write(false, chunk, written);
      written.block();
    }
  }

  private static void closeQuietly(InputStream stream) {
    try {
      stream.close();
    } catch (IOException e) {
      // Closing only unblocks the copy; its failure changes nothing.
    }
  }
}
