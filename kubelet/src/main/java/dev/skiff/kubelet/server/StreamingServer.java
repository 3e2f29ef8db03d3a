package dev.skiff.kubelet.server;

import dev.skiff.kubelet.metrics.KubeletMetrics;
import dev.skiff.kubelet.stats.SummaryProvider;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;

/**
 * The kubelet's HTTP server that the API server proxies {@code pods/log} to: {@code GET
 * /containerLogs/{namespace}/{pod}/{container}} with {@code PodLogOptions} as query parameters, and
 * {@code GET /stats/summary}, exec and attach over WebSocket, and port-forward over SPDY. It
 * listens on loopback only, as it does not authenticate its callers yet.
 */
public final class StreamingServer implements AutoCloseable {
  public static final String LOGS_PREFIX = "/containerLogs/";
  private static final Duration STREAM_IDLE_TIMEOUT = Duration.ofHours(4);

  private final Server server;
  private final ServerConnector connector;
  private final ContainerLogs logs;
  private final SummaryProvider stats;
  private final ExecHandler exec;
  private final PortForwardHandler portForward;
  private volatile boolean open = true;
  private volatile KubeletMetrics metrics;

  /** Plain HTTP on loopback only: for tests and nodes without TLS material. */
  public StreamingServer(ContainerLogs logs, SummaryProvider stats, int port) {
    this(logs, stats, port, null);
  }

  /**
   * With {@code tls}, HTTPS on every address requiring a client certificate from its CA, as the API
   * server connects to the node's InternalIP; without, plain HTTP on loopback.
   */
  public StreamingServer(ContainerLogs logs, SummaryProvider stats, int port, ServingTls tls) {
    this.logs = logs;
    this.stats = stats;
    this.exec = new ExecHandler(logs.runtime());
    this.portForward = new PortForwardHandler(logs.runtime(), STREAM_IDLE_TIMEOUT);
    QueuedThreadPool pool = new QueuedThreadPool();
    pool.setName("kubelet-server");
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server = new Server(pool);
    if (tls == null) {
      connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
    } else {
      var ssl = new SslContextFactory.Server();
      ssl.setKeyStore(tls.keyStore());
      ssl.setKeyStorePassword(new String(tls.keyPassword()));
      ssl.setTrustStore(tls.clientCa());
      ssl.setNeedClientAuth(true);
      connector = new ServerConnector(server, ssl, new HttpConnectionFactory());
    }
    connector.setPort(port);
    server.addConnector(connector);
    // exec and attach sessions are interactive: a quiet shell must not be cut off.
    ServerWebSocketContainer.ensure(server).setIdleTimeout(STREAM_IDLE_TIMEOUT);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            serve(request, response, callback);
            return true;
          }
        });
  }

  public void start() {
    try {
      server.start();
    } catch (Exception e) {
      throw new IllegalStateException(
          "kubelet server could not listen on port " + connector.getPort(), e);
    }
  }

  /** Serves {@code /metrics}, {@code /metrics/resource} and {@code /metrics/cadvisor}. */
  public void serveMetrics(KubeletMetrics metrics) {
    this.metrics = metrics;
  }

  public int port() {
    return connector.getLocalPort();
  }

  private void serve(Request request, Response response, Callback callback) throws Exception {
    String path = Request.getPathInContext(request);
    // kubectl's SPDY fallback for port-forward is a POST; the WebSocket tunnel a GET.
    if (PortForwardHandler.handles(path)
        && ("GET".equals(request.getMethod()) || "POST".equals(request.getMethod()))) {
      try {
        portForward.serve(request, response, callback);
      } catch (ExecHandler.Refused e) {
        error(response, callback, e.status, e.getMessage());
      }
      return;
    }
    if (!"GET".equals(request.getMethod())) {
      error(response, callback, 405, "method not allowed");
      return;
    }
    if (ExecHandler.handles(path)) {
      try {
        exec.serve(request, response, callback);
      } catch (ExecHandler.Refused e) {
        error(response, callback, e.status, e.getMessage());
      }
      return;
    }
    if (path.equals("/stats/summary")) {
      response.setStatus(200);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(response, true, stats.summary().toString(), callback);
      return;
    }
    KubeletMetrics m = metrics;
    if (m != null && path.startsWith("/metrics")) {
      byte[] text =
          switch (path) {
            case "/metrics" -> m.kubelet();
            case "/metrics/resource" -> m.resource();
            case "/metrics/cadvisor" -> m.cadvisor();
            default -> null;
          };
      if (text != null) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, KubeletMetrics.CONTENT_TYPE);
        response.write(true, java.nio.ByteBuffer.wrap(text), callback);
        return;
      }
    }
    if (!path.startsWith(LOGS_PREFIX)) {
      error(response, callback, 404, "404 page not found");
      return;
    }
    String[] parts = path.substring(LOGS_PREFIX.length()).split("/");
    if (parts.length != 3) {
      error(response, callback, 400, "expected /containerLogs/{namespace}/{pod}/{container}");
      return;
    }
    String ns = URLDecoder.decode(parts[0], StandardCharsets.UTF_8);
    String pod = URLDecoder.decode(parts[1], StandardCharsets.UTF_8);
    String container = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
    Fields query = Request.extractQueryParameters(request);
    LogOptions options;
    try {
      options = LogOptions.parse(query::getValue, Instant.now());
    } catch (LogOptions.Invalid e) {
      error(response, callback, 400, e.getMessage());
      return;
    }
    try {
      logs.find(ns, pod, container, options.previous());
    } catch (ContainerLogs.NotFound e) {
      error(response, callback, 404, e.getMessage());
      return;
    }
    response.setStatus(200);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
    try (OutputStream out = Content.Sink.asOutputStream(response)) {
      logs.write(ns, pod, container, options, out, () -> open);
    } catch (java.io.IOException e) {
      // The client went away mid-stream (kubectl logs -f interrupted): nothing left to do.
    }
    callback.succeeded();
  }

  private static void error(Response response, Callback callback, int status, String message) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
    Content.Sink.write(response, true, message + "\n", callback);
  }

  @Override
  public void close() {
    open = false;
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("kubelet server did not stop", e);
    }
  }
}
