package dev.skiff.network.proxy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * kube-proxy's health port (10256 upstream): {@code /healthz} answers 200 while the proxy keeps up
 * and its node is eligible, {@code /livez} while the proxy keeps up; 503 otherwise, with the same
 * JSON bodies as upstream.
 */
public final class ProxyHealthServer implements AutoCloseable {
  /** kube-proxy's default {@code --healthz-bind-address} port. */
  public static final int DEFAULT_PORT = 10256;

  private final ProxyHealth health;
  private final HttpServer server;

  public ProxyHealthServer(ProxyHealth health, String address, int port) throws IOException {
    this.health = health;
    this.server = HttpServer.create(new InetSocketAddress(address, port), 0);
    server.createContext("/healthz", e -> answer(e, true));
    server.createContext("/livez", e -> answer(e, false));
    server.start();
  }

  /** The port listened on (useful when 0 was asked for). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange, boolean withNode) throws IOException {
    boolean eligible = health.nodeEligible();
    boolean healthy = withNode ? health.healthyAndEligible() : health.healthy();
    Instant now = health.now();
    // Upstream reports "now" as the last update while healthy, as older releases did.
    Instant lastUpdated = healthy ? now : health.lastUpdated();
    String body =
        "{\"lastUpdated\": \""
            + ProxyHealth.goTime(lastUpdated)
            + "\",\"currentTime\": \""
            + ProxyHealth.goTime(now)
            + "\""
            + (withNode ? ", \"nodeEligible\": " + eligible : "")
            + "}";
    respond(exchange, healthy ? 200 : 503, body);
  }

  static void respond(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
