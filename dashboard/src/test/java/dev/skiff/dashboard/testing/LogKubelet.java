package dev.skiff.dashboard.testing;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A kubelet's log endpoint as the API server reaches it, over HTTPS on loopback: every container
 * has logged {@code hello from <container>}; a followed log then carries the lines the test pushes
 * with {@link #log}, as they come.
 */
public final class LogKubelet implements AutoCloseable {
  private static final String END = "\u0000end";

  private final Server server;
  private final ServerConnector connector;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  public LogKubelet(Path dir) throws Exception {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(keyStore(dir));
    ssl.setKeyStorePassword("changeit");
    HttpConfiguration http = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    server = new Server();
    connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            String[] p = Request.getPathInContext(request).split("/");
            if (p.length != 5 || !p[1].equals("containerLogs")) {
              Response.writeError(request, response, callback, 404);
              return true;
            }
            response.getHeaders().put("Content-Type", "text/plain");
            write(response, "hello from " + p[4] + "\n");
            if ("true".equals(Request.extractQueryParameters(request).getValue("follow"))) {
              String line;
              while (!(line = lines.take()).equals(END)) {
                write(response, line + "\n");
              }
            }
            callback.succeeded();
            return true;
          }
        });
    server.start();
  }

  private static void write(Response response, String text) throws java.io.IOException {
    try (Blocker.Callback done = Blocker.callback()) {
      response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), done);
      done.block();
    }
  }

  /** Appends a line to the followed log. */
  public void log(String line) {
    lines.add(line);
  }

  public int port() {
    return connector.getLocalPort();
  }

  @Override
  public void close() {
    lines.add(END);
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the stand-in kubelet", e);
    }
  }

  private static KeyStore keyStore(Path dir) throws Exception {
    Path file = dir.resolve("kubelet.p12");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "kubelet",
                "-keyalg",
                "EC",
                "-dname",
                "CN=node-a",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-validity",
                "2",
                "-keystore",
                file.toString())
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(file)) {
      ks.load(in, "changeit".toCharArray());
    }
    return ks;
  }
}
