package dev.skiff.apiserver.metrics.resource;

import dev.skiff.apiserver.testing.Keytool;
import java.nio.file.Path;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A kubelet's {@code /metrics/resource} over HTTPS on loopback: the node burns one core, each of
 * pod p1/web's containers a quarter core, with fixed working sets, counted from when it started.
 */
final class ScrapedKubelet implements AutoCloseable {
  static final long CONTAINER_MEMORY = 10 * 1024 * 1024;
  static final long NODE_MEMORY = 2L * 1024 * 1024 * 1024;

  private final Server server = new Server();
  private final ServerConnector connector;
  private final long start = System.currentTimeMillis();

  ScrapedKubelet(Path dir) throws Exception {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(Keytool.addKey(dir.resolve("kubelet.p12"), "kubelet", "CN=node-a"));
    ssl.setKeyStorePassword("changeit");
    // Like the kubelet's own server: no SNI host check, the API server connects by IP.
    HttpConfiguration http = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    connector = new ServerConnector(server, ssl, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            if (!Request.getPathInContext(request).equals("/metrics/resource")) {
              response.setStatus(404);
              callback.succeeded();
              return true;
            }
            response.getHeaders().put("Content-Type", "text/plain; version=0.0.4");
            Content.Sink.write(response, true, exposition(), callback);
            return true;
          }
        });
    server.start();
  }

  private String exposition() {
    long now = System.currentTimeMillis();
    double seconds = (now - start) / 1000.0;
    StringBuilder b = new StringBuilder();
    b.append("# TYPE container_cpu_usage_seconds_total counter\n");
    for (String c : new String[] {"app", "sidecar"}) {
      b.append("container_cpu_usage_seconds_total{container=\"")
          .append(c)
          .append("\",namespace=\"p1\",pod=\"web\"} ")
          .append(seconds / 4)
          .append(' ')
          .append(now)
          .append('\n');
    }
    b.append("# TYPE container_memory_working_set_bytes gauge\n");
    for (String c : new String[] {"app", "sidecar"}) {
      b.append("container_memory_working_set_bytes{container=\"")
          .append(c)
          .append("\",namespace=\"p1\",pod=\"web\"} ")
          .append(CONTAINER_MEMORY)
          .append(' ')
          .append(now)
          .append('\n');
    }
    b.append("# TYPE node_cpu_usage_seconds_total counter\n");
    b.append("node_cpu_usage_seconds_total ").append(seconds).append(' ').append(now).append('\n');
    b.append("# TYPE node_memory_working_set_bytes gauge\n");
    b.append("node_memory_working_set_bytes ")
        .append(NODE_MEMORY)
        .append(' ')
        .append(now)
        .append('\n');
    return b.toString();
  }

  int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
