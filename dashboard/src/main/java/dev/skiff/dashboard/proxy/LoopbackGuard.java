package dev.skiff.dashboard.proxy;

import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Keeps other web sites away from the proxy's admin credentials. Requests must name a loopback
 * host, as {@code kubectl proxy}'s default {@code --accept-hosts} demands, which defeats DNS
 * rebinding; and writes from a browser must come from the dashboard's own origin, which defeats
 * cross-site forms and {@code fetch} calls that a browser sends without asking.
 */
final class LoopbackGuard extends Handler.Wrapper {
  private static final Set<String> HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

  LoopbackGuard(Handler next) {
    super(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    String host = request.getHeaders().get(HttpHeader.HOST);
    if (host == null || !HOSTS.contains(hostName(host))) {
      Response.writeError(request, response, callback, 403, "only loopback host names are served");
      return true;
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin != null
        && !SAFE_METHODS.contains(request.getMethod())
        && !origin.equalsIgnoreCase(request.getHttpURI().getScheme() + "://" + host)) {
      Response.writeError(request, response, callback, 403, "cross-origin writes are refused");
      return true;
    }
    return super.handle(request, response, callback);
  }

  private static String hostName(String hostHeader) {
    String h = hostHeader.toLowerCase(Locale.ROOT);
    int colon = h.lastIndexOf(':');
    return colon > h.lastIndexOf(']') ? h.substring(0, colon) : h;
  }
}
