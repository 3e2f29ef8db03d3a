package dev.skiff.apiserver.metrics;

import dev.skiff.apiserver.http.RequestInfo;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * Counts and times every request the API server answers, refused ones included, under upstream's
 * labels (verb as LIST, WATCH, GET, POST, PUT, PATCH, DELETE or CONNECT; scope cluster, namespace
 * or resource), and tracks watches and streams as long-running requests while they last.
 */
public final class RequestMetricsHandler extends Handler.Wrapper {
  private static final Set<String> CONNECT = Set.of("exec", "attach", "portforward", "proxy");

  public RequestMetricsHandler(Handler handler) {
    super(handler);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long start = System.nanoTime();
    Fields query = Request.extractQueryParameters(request);
    RequestInfo ri =
        RequestInfo.parse(
            request.getMethod(), Request.getPathInContext(request), query.getValue("watch"));
    String verb = verb(request.getMethod(), ri, request.getHeaders().get("Content-Type"));
    String dryRun = query.getValue("dryRun") == null ? "" : "All";
    String group = ri == null ? "" : ri.group();
    String version = ri == null ? "" : ri.version();
    String resource = ri == null ? "" : ri.resource();
    String sub = ri == null ? "" : ri.subresource();
    String scope = scope(ri);
    boolean longRunning =
        verb.equals("WATCH")
            || verb.equals("CONNECT")
            || (sub.equals("log") && "true".equals(query.getValue("follow")));
    if (longRunning) {
      ApiServerMetrics.LONGRUNNING
          .labelValues("apiserver", group, resource, scope, sub, verb, version)
          .inc();
    }
    Runnable done =
        () -> {
          if (longRunning) {
            ApiServerMetrics.LONGRUNNING
                .labelValues("apiserver", group, resource, scope, sub, verb, version)
                .dec();
          }
          ApiServerMetrics.REQUESTS
              .labelValues(
                  Integer.toString(response.getStatus()),
                  "apiserver",
                  dryRun,
                  group,
                  resource,
                  scope,
                  sub,
                  verb,
                  version)
              .inc();
          ApiServerMetrics.DURATION
              .labelValues("apiserver", dryRun, group, resource, scope, sub, verb, version)
              .observe((System.nanoTime() - start) / 1e9);
        };
    Callback counted =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            done.run();
            super.succeeded();
          }

          @Override
          public void failed(Throwable x) {
            done.run();
            super.failed(x);
          }
        };
    boolean handled = super.handle(request, response, counted);
    if (!handled && longRunning) {
      ApiServerMetrics.LONGRUNNING
          .labelValues("apiserver", group, resource, scope, sub, verb, version)
          .dec();
    }
    return handled;
  }

  private static String verb(String method, RequestInfo ri, String contentType) {
    if (ri == null) {
      return method.toUpperCase(Locale.ROOT);
    }
    if (CONNECT.contains(ri.subresource())) {
      return "CONNECT";
    }
    return switch (ri.verb()) {
      case "list" -> "LIST";
      case "watch" -> "WATCH";
      case "patch" ->
          contentType != null && contentType.startsWith("application/apply-patch")
              ? "APPLY"
              : "PATCH";
      default -> method.toUpperCase(Locale.ROOT);
    };
  }

  private static String scope(RequestInfo ri) {
    if (ri == null) {
      return "";
    }
    if (!ri.name().isEmpty()) {
      return "resource";
    }
    return ri.namespace().isEmpty() ? "cluster" : "namespace";
  }
}
