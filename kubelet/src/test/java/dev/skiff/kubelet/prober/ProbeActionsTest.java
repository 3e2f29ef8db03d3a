package dev.skiff.kubelet.prober;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.kubelet.testing.FakeRuntime;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HTTPGetActionBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeActionsTest {
  private HttpServer server;
  private final AtomicReference<String> header = new AtomicReference<>();
  private final ProbeActions actions = new ProbeActions(new FakeRuntime());
  private Container container;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/healthz",
        ex -> {
          header.set(ex.getRequestHeaders().getFirst("X-Probe"));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.createContext(
        "/broken",
        ex -> {
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    server.start();
    container =
        new ContainerBuilder()
            .withName("app")
            .addNewPort()
            .withName("http")
            .withContainerPort(server.getAddress().getPort())
            .endPort()
            .build();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void httpGetSucceedsOn2xxWithHeadersAndNamedPort() {
    var action =
        new HTTPGetActionBuilder()
            .withPath("/healthz")
            .withPort(new IntOrString("http"))
            .addNewHttpHeader("X-Probe", "yes")
            .build();
    var r = actions.httpGet(action, container, "127.0.0.1", Duration.ofSeconds(5));
    assertTrue(r.success(), r.output());
    assertEquals("yes", header.get());
  }

  @Test
  void httpGetFailsOnErrorStatusAndUnknownPort() {
    var broken =
        new HTTPGetActionBuilder()
            .withPath("/broken")
            .withPort(new IntOrString(server.getAddress().getPort()))
            .build();
    var r = actions.httpGet(broken, container, "127.0.0.1", Duration.ofSeconds(5));
    assertFalse(r.success());
    assertEquals("HTTP probe failed with statuscode: 503", r.output());
    var unknown = new HTTPGetActionBuilder().withPort(new IntOrString("metrics")).build();
    assertEquals(
        "couldn't find port: metrics in app",
        actions.httpGet(unknown, container, "127.0.0.1", Duration.ofSeconds(5)).output());
  }

  @Test
  void tcpSocketConnects() {
    assertTrue(
        actions
            .tcp(
                "127.0.0.1",
                new IntOrString(server.getAddress().getPort()),
                container,
                Duration.ofSeconds(5))
            .success());
    server.stop(0);
    assertFalse(
        actions
            .tcp(
                "127.0.0.1",
                new IntOrString(server.getAddress().getPort()),
                container,
                Duration.ofSeconds(5))
            .success());
  }
}
