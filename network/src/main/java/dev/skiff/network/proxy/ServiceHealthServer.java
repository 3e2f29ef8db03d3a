package dev.skiff.network.proxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code healthCheckNodePort}s of this node, as kube-proxy serves them for load balancers: on
 * each, any path answers 200 while the Service has ready endpoints on this node (and the proxy is
 * healthy), 503 otherwise, with upstream's JSON body and endpoint-weight header.
 */
public final class ServiceHealthServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceHealthServer.class);

  /** One Service's check: its port and how many ready endpoints it has here. */
  public record Check(int port, int localEndpoints) {}

  private final String address;
  private final ProxyHealth health;
  private final Map<String, HttpServer> listeners = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private volatile Map<String, Check> checks = Map.of();

  public ServiceHealthServer(String address, ProxyHealth health) {
    this.address = address;
    this.health = health;
  }

  /**
   * Makes the listeners match {@code wanted} ({@code "ns/name"} to its check): new ports are
   * opened, ports no Service has any more are closed, counts take effect at once. A port that
   * cannot be opened is logged and tried again on the next sync.
   */
  public synchronized void sync(Map<String, Check> wanted) {
    checks = Map.copyOf(wanted);
    for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      Check c = wanted.get(e.getKey());
      if (c == null || c.port() != ports.get(e.getKey())) {
        e.getValue().stop(0);
        ports.remove(e.getKey());
        it.remove();
      }
    }
    wanted.forEach(
        (service, check) -> {
          if (!listeners.containsKey(service)) {
            try {
              listeners.put(service, listen(service, check.port()));
              ports.put(service, check.port());
            } catch (IOException e) {
              LOG.warn("cannot serve the health check of {} on port {}", service, check.port(), e);
            }
          }
        });
  }

  private HttpServer listen(String service, int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 0);
    int slash = service.indexOf('/');
    String namespace = service.substring(0, slash);
    String name = service.substring(slash + 1);
    server.createContext(
        "/",
        exchange -> {
          Check check = checks.get(service);
          int count = check == null ? 0 : check.localEndpoints();
          boolean healthy = health.healthyAndEligible();
          exchange
              .getResponseHeaders()
              .set("X-Load-Balancing-Endpoint-Weight", Integer.toString(count));
          String body =
              "{\n\t\"service\": {\n\t\t\"namespace\": \""
                  + namespace
                  + "\",\n\t\t\"name\": \""
                  + name
                  + "\"\n\t},\n\t\"localEndpoints\": "
                  + count
                  + ",\n\t\"serviceProxyHealthy\": "
                  + healthy
                  + "\n}";
          ProxyHealthServer.respond(exchange, count != 0 && healthy ? 200 : 503, body);
        });
    server.start();
    return server;
  }

  @Override
  public synchronized void close() {
    listeners.values().forEach(s -> s.stop(0));
    listeners.clear();
    ports.clear();
  }
}
