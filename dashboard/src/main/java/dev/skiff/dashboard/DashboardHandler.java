package dev.skiff.dashboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves the dashboard's static files from this jar under {@value #PREFIX}. The files hold no
 * cluster data, so they need no authentication; the page itself calls the Kubernetes API with the
 * user's credentials. Every other path is declined, for the next handler.
 */
public final class DashboardHandler extends Handler.Abstract.NonBlocking {
  public static final String PREFIX = "/ui/";

  private static final String ROOT = "dev/skiff/dashboard/ui/";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png");

  /** The page talks only to its own origin, and no other site may frame it. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none';"
          + " frame-ancestors 'none'";

  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String path = Request.getPathInContext(request);
    if (path.equals("/ui")) {
      Response.sendRedirect(request, response, callback, PREFIX);
      return true;
    }
    if (!path.startsWith(PREFIX)) {
      return false;
    }
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
      Response.writeError(request, response, callback, 405);
      return true;
    }
    String name = path.substring(PREFIX.length());
    if (name.isEmpty()) {
      name = "index.html";
    }
    Optional<byte[]> body = name.contains("..") ? Optional.empty() : file(name);
    String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
    if (body.isEmpty() || type == null) {
      Response.writeError(request, response, callback, 404);
      return true;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    // Always revalidate: a newer skiff serves newer files under the same names.
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    response.getHeaders().put("Referrer-Policy", "no-referrer");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.get().length);
    response.write(
        true,
        method.equals("HEAD") ? null : ByteBuffer.wrap(body.get()).asReadOnlyBuffer(),
        callback);
    return true;
  }

  private Optional<byte[]> file(String name) {
    byte[] cached = files.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    // Only files that exist are kept, so requests for made-up names cost no memory.
    try (InputStream in =
        DashboardHandler.class.getClassLoader().getResourceAsStream(ROOT + name)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      files.put(name, bytes);
      return Optional.of(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
