package dev.skiff.apiserver.proxy;

import dev.skiff.apiserver.errors.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Sends one request to a backend and relays its response as it arrives, flushing every read, so a
 * followed log shows each line when written.
 */
final class ResponseRelay {
  /** Headers that describe one hop, not the content; the client's connection sets its own. */
  private static final Set<String> HOP_BY_HOP =
      Set.of(
          "connection",
          "keep-alive",
          "transfer-encoding",
          "content-length",
          "upgrade",
          "proxy-connection",
          "te",
          "trailer");

  private ResponseRelay() {}

  /**
   * @param checked a backend error becomes a Status carrying the backend's words, as upstream's
   *     response checker does for logs; otherwise every response passes through as it is (proxy)
   * @param dialError the error to show when the backend cannot be reached
   */
  static void relay(
      HttpClient http,
      HttpRequest request,
      Response response,
      Callback callback,
      boolean checked,
      Function<IOException, ApiException> dialError) {
    HttpResponse<InputStream> upstream;
    try {
      upstream = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (IOException e) {
      throw dialError.apply(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApiException.internal("interrupted");
    }
    try (InputStream in = upstream.body()) {
      int code = upstream.statusCode();
      if (checked && (code < 200 || code > 299)) {
        String body = new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).trim();
        throw backendStatus(code, body);
      }
      response.setStatus(code);
      if (checked) {
        upstream
            .headers()
            .firstValue("Content-Type")
            .ifPresent(ct -> response.getHeaders().put("Content-Type", ct));
      } else {
        upstream
            .headers()
            .map()
            .forEach(
                (name, values) -> {
                  if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(v -> response.getHeaders().add(name, v));
                  }
                });
      }
      OutputStream out = Content.Sink.asOutputStream(response);
      byte[] buf = new byte[16 * 1024];
      int n;
      while ((n = in.read(buf)) >= 0) {
        out.write(buf, 0, n);
        out.flush();
      }
      out.close();
      callback.succeeded();
    } catch (IOException e) {
      // The client or the backend went away mid-stream; nothing more can be said to either.
      callback.failed(e);
    }
  }

  static HttpRequest.Builder request(String url) {
    return HttpRequest.newBuilder(URI.create(url));
  }

  private static ApiException backendStatus(int code, String body) {
    String reason =
        switch (code) {
          case 400 -> "BadRequest";
          case 401 -> "Unauthorized";
          case 403 -> "Forbidden";
          case 404 -> "NotFound";
          default -> "InternalError";
        };
    return new ApiException(code, reason, body, null, null, null, List.of(), 0);
  }
}
