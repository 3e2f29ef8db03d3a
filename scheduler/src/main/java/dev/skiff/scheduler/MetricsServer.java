package dev.skiff.scheduler;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Serves {@code /metrics} (Prometheus text) and {@code /healthz} on one address. */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;

  /**
   * @param address where to listen, e.g. 127.0.0.1:10259; port 0 picks a free one
   */
  public MetricsServer(InetSocketAddress address, Supplier<String> metrics) throws IOException {
    server = HttpServer.create(address, 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/metrics",
        ex -> {
          byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.createContext(
        "/healthz",
        ex -> {
          byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(200, body.length);
          try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
