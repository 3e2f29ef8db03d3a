package dev.skiff.dashboard.proxy;

import dev.skiff.dashboard.DashboardHandler;
import java.net.URI;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The dashboard on a loopback port, as {@code kubectl proxy} serves the API: the UI's files, and
 * {@code /api} and {@code /apis} forwarded to the API server with the configured credentials. Only
 * this machine can reach it, and only pages from its own origin may write through it.
 */
public final class ApiProxy implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;

  private ApiProxy(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts serving on {@code 127.0.0.1:port} (0 picks a free port).
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  public static ApiProxy start(int port, Upstream upstream) {
    QueuedThreadPool pool = new QueuedThreadPool(32, 4);
    pool.setName("dashboard");
    // Watches and followed logs block a thread each for as long as the page is open.
    pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Server server = new Server(pool);
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    // Watches may be quiet for minutes.
    connector.setIdleTimeout(10 * 60 * 1000L);
    server.addConnector(connector);
    server.setHandler(
        new LoopbackGuard(
            new Handler.Sequence(
                new RootRedirect(), new DashboardHandler(), new ForwardingHandler(upstream))));
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stopping) {
        e.addSuppressed(stopping);
      }
      throw new IllegalStateException(
          "cannot serve the dashboard on 127.0.0.1:" + port + ": " + e.getMessage(), e);
    }
    return new ApiProxy(server, connector);
  }

  public int port() {
    return connector.getLocalPort();
  }

  /** Where a browser on this machine opens the dashboard. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port() + DashboardHandler.PREFIX);
  }

  /** Blocks until the proxy stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("cannot stop the dashboard proxy: " + e.getMessage(), e);
    }
  }

  /** {@code /} leads to the dashboard, so the bare URL works too. */
  private static final class RootRedirect extends Handler.Abstract.NonBlocking {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      if (!Request.getPathInContext(request).equals("/")) {
        return false;
      }
      Response.sendRedirect(request, response, callback, DashboardHandler.PREFIX);
      return true;
    }
  }
}
