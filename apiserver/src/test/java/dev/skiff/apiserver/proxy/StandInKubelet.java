package dev.skiff.apiserver.proxy;

import dev.skiff.apiserver.testing.Keytool;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * A kubelet's streaming server as the API server sees it, over HTTPS on loopback: canned logs (a
 * followed log waits for lines the test pushes), and exec over WebSocket {@code v5.channel.k8s.io}
 * running {@code echo} and {@code cat}.
 */
final class StandInKubelet implements AutoCloseable {
  private static final String SUCCESS = "{\"metadata\":{},\"status\":\"Success\"}";

  private final Server server;
  private final ServerConnector connector;
  final BlockingQueue<String> requests = new LinkedBlockingQueue<>();
  final BlockingQueue<String> followLines = new LinkedBlockingQueue<>();
  final BlockingQueue<HttpFields> upgradeHeaders = new LinkedBlockingQueue<>();
  final BlockingQueue<String> clientSubjects = new LinkedBlockingQueue<>();

  StandInKubelet(Path dir) throws Exception {
    this(dir, null);
  }

  /**
   * @param clientCas certificates that vouch for clients, as a kubelet's client CA file does; null
   *     for none
   */
  StandInKubelet(Path dir, KeyStore clientCas) throws Exception {
    KeyStore ks =
        Keytool.addKey(dir.resolve("kubelet.p12"), "kubelet", "CN=node-a", "SAN=ip:127.0.0.1");
    server = new Server();
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(ks);
    ssl.setKeyStorePassword("changeit");
    // Kubelets ask for the API server's client certificate; the stand-in records whom it saw.
    ssl.setWantClientAuth(true);
    if (clientCas != null) {
      ssl.setTrustStore(clientCas);
    }
    HttpConfiguration http = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    connector =
        new ServerConnector(
            server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    WebSocketUpgradeHandler ws =
        WebSocketUpgradeHandler.from(
            server,
            container ->
                container.addMapping(
                    "/exec/*",
                    (req, resp, cb) -> {
                      requests.add(req.getHttpURI().getPathQuery());
                      if (!req.hasSubProtocol("v5.channel.k8s.io")) {
                        resp.setStatus(400);
                        Content.Sink.write(resp, true, "v5.channel.k8s.io required", cb);
                        return null;
                      }
                      resp.setAcceptedSubProtocol("v5.channel.k8s.io");
                      List<String> command =
                          Request.extractQueryParameters(req).getValues("command");
                      return new Exec(command == null ? List.of() : command);
                    }));
    ws.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback)
              throws Exception {
            requests.add(request.getHttpURI().getPathQuery());
            if (Request.getPathInContext(request).equals("/healthz")) {
              response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
              Content.Sink.write(response, true, "ok", callback);
              return true;
            }
            if (Request.getPathInContext(request).startsWith("/portForward/")) {
              portForward(request, response, callback);
              return true;
            }
            logs(request, response, callback);
            return true;
          }
        });
    server.setHandler(ws);
    server.start();
  }

  int port() {
    return connector.getLocalPort();
  }

  /**
   * Switches to SPDY as a kubelet would, then echoes every byte after a greeting; what is echoed
   * shows the tunnel carries bytes both ways, in order, including bytes sent right after the 101.
   */
  private void portForward(Request request, Response response, Callback callback) {
    upgradeHeaders.add(request.getHeaders().asImmutable());
    if (!"SPDY/3.1".equals(request.getHeaders().get("Upgrade"))) {
      response.setStatus(400);
      Content.Sink.write(response, true, "SPDY/3.1 required", callback);
      return;
    }
    response.setStatus(101);
    response.getHeaders().put("Connection", "Upgrade");
    response.getHeaders().put("Upgrade", "SPDY/3.1");
    response.getHeaders().put("X-Stream-Protocol-Version", "portforward.k8s.io");
    request.setAttribute(
        HttpStream.UPGRADE_CONNECTION_ATTRIBUTE,
        new Echo(
            request.getConnectionMetaData().getConnection().getEndPoint(),
            request.getComponents().getExecutor()));
    callback.succeeded();
  }

  private static final class Echo extends AbstractConnection {
    Echo(EndPoint endPoint, Executor executor) {
      super(endPoint, executor);
    }

    @Override
    public void onOpen() {
      super.onOpen();
      write(ByteBuffer.wrap("ready\n".getBytes(StandardCharsets.UTF_8)));
      fillInterested();
    }

    @Override
    public void onFillable() {
      ByteBuffer buffer = BufferUtil.allocate(4096);
      try {
        while (true) {
          BufferUtil.clear(buffer);
          int n = getEndPoint().fill(buffer);
          if (n == 0) {
            fillInterested();
            return;
          }
          if (n < 0) {
            getEndPoint().close();
            return;
          }
          write(buffer);
        }
      } catch (java.io.IOException e) {
        getEndPoint().close();
      }
    }

    private void write(ByteBuffer buffer) {
      FutureCallback done = new FutureCallback();
      getEndPoint().write(done, buffer);
      try {
        done.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        getEndPoint().close();
      }
    }
  }

  private void logs(Request request, Response response, Callback callback) throws Exception {
    if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
            instanceof EndPoint.SslSessionData tls
        && tls.peerCertificates() != null) {
      clientSubjects.add(tls.peerCertificates()[0].getSubjectX500Principal().getName());
    } else {
      clientSubjects.add("");
    }
    if (!Request.getPathInContext(request).startsWith("/containerLogs/")) {
      response.setStatus(404);
      Content.Sink.write(response, true, "404 page not found", callback);
      return;
    }
    response.getHeaders().put("Content-Type", "text/plain");
    var out = Content.Sink.asOutputStream(response);
    out.write("first line\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    if ("true".equals(Request.extractQueryParameters(request).getValue("follow"))) {
      String line;
      while (!(line = followLines.take()).isEmpty()) {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }
    out.close();
    callback.succeeded();
  }

  /**
   * {@code echo ARGS} prints its arguments; {@code cat} copies stdin until the client closes it.
   */
  public static final class Exec implements Session.Listener.AutoDemanding {
    private final List<String> command;
    private Session session;

    Exec(List<String> command) {
      this.command = command;
    }

    @Override
    public void onWebSocketOpen(Session session) {
      this.session = session;
      if (!command.isEmpty() && command.get(0).equals("echo")) {
        send(1, String.join(" ", command.subList(1, command.size())) + "\n");
        finish();
      }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback cb) {
      int channel = payload.get() & 0xff;
      if (channel == 0) {
        byte[] data = new byte[payload.remaining()];
        payload.get(data);
        send(1, new String(data, StandardCharsets.UTF_8));
      } else if (channel == 255) {
        finish();
      }
      cb.succeed();
    }

    private void send(int channel, String text) {
      byte[] data = text.getBytes(StandardCharsets.UTF_8);
      ByteBuffer frame = ByteBuffer.allocate(data.length + 1).put((byte) channel).put(data).flip();
      awaitSent(frame);
    }

    private void awaitSent(ByteBuffer frame) {
      var done = new java.util.concurrent.CompletableFuture<Void>();
      session.sendBinary(
          frame,
          org.eclipse.jetty.websocket.api.Callback.from(
              () -> done.complete(null), done::completeExceptionally));
      try {
        done.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    private void finish() {
      send(3, SUCCESS);
      session.close(StatusCode.NORMAL, "", org.eclipse.jetty.websocket.api.Callback.NOOP);
    }
  }

  @Override
  public void close() {
    followLines.add("");
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stand-in kubelet did not stop", e);
    }
  }
}
