package dev.skiff.apiserver.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.skiff.apiserver.testing.TestServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** services/proxy reaches a ready endpoint of the Service, by port name or number. */
class ServiceProxyTest {
  private static TestServer s;
  private static HttpServer backend;

  @BeforeAll
  static void start() throws Exception {
    backend = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    backend.createContext(
        "/",
        exchange -> {
          String body =
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI()
                  + " "
                  + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("X-Backend", "yes");
          exchange.sendResponseHeaders(
              exchange.getRequestURI().getPath().equals("/missing") ? 404 : 200, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    backend.start();
    s = new TestServer();
    assertEquals(201, s.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"sp\"}}").code());
    String pod =
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"backend\"},"
            + "\"spec\":{\"containers\":[{\"name\":\"app\",\"image\":\"x\"}]},"
            + "\"status\":{\"podIP\":\"127.0.0.1\",\"podIPs\":[{\"ip\":\"127.0.0.1\"}]}}";
    assertEquals(201, s.post("/api/v1/namespaces/sp/pods", pod).code());
    assertEquals(200, s.put("/api/v1/namespaces/sp/pods/backend/status", pod).code());
    for (String name : new String[] {"web", "empty"}) {
      assertEquals(
          201,
          s.post(
                  "/api/v1/namespaces/sp/services",
                  "{\"metadata\":{\"name\":\""
                      + name
                      + "\"},\"spec\":{\"ports\":[{\"name\":\"http\",\"port\":80,\"targetPort\":"
                      + backend.getAddress().getPort()
                      + "}]}}")
              .code());
    }
    assertEquals(
        201,
        s.post(
                "/api/v1/namespaces/sp/endpoints",
                "{\"metadata\":{\"name\":\"web\"},\"subsets\":[{\"addresses\":[{\"ip\":\"127.0.0.1\","
                    + "\"targetRef\":{\"kind\":\"Pod\",\"name\":\"backend\",\"namespace\":\"sp\"}}],"
                    + "\"ports\":[{\"name\":\"http\",\"port\":"
                    + backend.getAddress().getPort()
                    + "}]}]}")
            .code());
  }

  @AfterAll
  static void stop() {
    if (s != null) {
      s.close();
    }
    if (backend != null) {
      backend.stop(0);
    }
  }

  @Test
  void reachesTheEndpointByPortNumberOrName() {
    TestServer.Reply byNumber = s.get("/api/v1/namespaces/sp/services/web:80/proxy/hello?x=1");
    assertEquals(200, byNumber.code());
    assertEquals("GET /hello?x=1 ", byNumber.body());
    assertEquals("yes", byNumber.header("X-Backend"));
    TestServer.Reply byName = s.get("/api/v1/namespaces/sp/services/http:web:http/proxy/");
    assertEquals("GET / ", byName.body());
  }

  @Test
  void relaysBodiesAndTheBackendsOwnErrors() {
    TestServer.Reply posted =
        s.send(
            "POST", "/api/v1/namespaces/sp/services/web:80/proxy/form", "a=b", "text/plain", null);
    assertEquals("POST /form a=b", posted.body());
    TestServer.Reply missing = s.get("/api/v1/namespaces/sp/services/web:80/proxy/missing");
    assertEquals(404, missing.code());
    assertEquals("GET /missing ", missing.body());
  }

  @Test
  void aServiceWithoutEndpointsIsUnavailable() {
    TestServer.Reply r = s.get("/api/v1/namespaces/sp/services/empty:80/proxy/");
    assertEquals(503, r.code());
    assertEquals("no endpoints available for service \"empty\"", r.message());
    assertEquals(404, s.get("/api/v1/namespaces/sp/services/nothing/proxy/").code());
    TestServer.Reply wrongPort = s.get("/api/v1/namespaces/sp/services/web:81/proxy/");
    assertEquals(503, wrongPort.code());
    assertEquals("no service port 81 found for service \"web\"", wrongPort.message());
  }
}
