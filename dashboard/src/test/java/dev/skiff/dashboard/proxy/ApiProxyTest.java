package dev.skiff.dashboard.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.dashboard.testing.DashboardCluster;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loopback proxy of {@code skiff dashboard}: it serves the UI, acts as its configured user
 * towards the API server, streams watches, and keeps other sites and host names out.
 */
class ApiProxyTest {
  private DashboardCluster cluster;
  private ApiProxy proxy;
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeEach
  void start() throws Exception {
    cluster = DashboardCluster.withAuth();
    proxy =
        ApiProxy.start(
            0,
            new Upstream(
                URI.create(cluster.url()), SSLContext.getDefault(), DashboardCluster.ADMIN_TOKEN));
  }

  @AfterEach
  void stop() throws Exception {
    try {
      proxy.close();
    } finally {
      cluster.close();
    }
  }

  private HttpResponse<String> call(String method, String path, String origin, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (origin != null) {
      b.header("Origin", origin);
    }
    if (body != null) {
      b.header("Content-Type", "application/merge-patch+json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void actsAsItsUserWithoutBrowserCredentials() throws Exception {
    HttpResponse<String> r = call("GET", "/api/v1/namespaces/default", null, null);
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"name\":\"default\""), r.body());
    // The API server's own errors come through unchanged.
    HttpResponse<String> missing = call("GET", "/api/v1/namespaces/nope", null, null);
    assertEquals(404, missing.statusCode());
    assertTrue(missing.body().contains("namespaces \\\"nope\\\" not found"), missing.body());
  }

  @Test
  void servesTheUi() throws Exception {
    HttpResponse<String> page = call("GET", "/ui/", null, null);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertTrue(page.body().contains("js/main.js"));
    HttpResponse<String> root = call("GET", "/", null, null);
    assertEquals(302, root.statusCode());
    assertEquals("/ui/", URI.create(root.headers().firstValue("Location").orElseThrow()).getPath());
    assertEquals(404, call("GET", "/ui/../pom.xml", null, null).statusCode());
  }

  @Test
  void refusesWritesFromOtherOriginsAndAllowsItsOwn() throws Exception {
    cluster.addRunningDeployment("default", "web", 3);
    String scale = "/apis/apps/v1/namespaces/default/deployments/web/scale";
    HttpResponse<String> foreign =
        call("PATCH", scale, "http://evil.example", "{\"spec\":{\"replicas\":0}}");
    assertEquals(403, foreign.statusCode());
    assertEquals(3, replicas());
    HttpResponse<String> own =
        call("PATCH", scale, "http://127.0.0.1:" + proxy.port(), "{\"spec\":{\"replicas\":1}}");
    assertEquals(200, own.statusCode(), own.body());
    assertEquals(1, replicas());
  }

  @Test
  void refusesHostNamesOtherThanLoopback() throws Exception {
    // A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    try (Socket s = new Socket("127.0.0.1", proxy.port())) {
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET /api/v1/namespaces HTTP/1.1\r\nHost: evil.example:"
                  + proxy.port()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertEquals("HTTP/1.1 403 Forbidden", status);
    }
  }

  @Test
  void streamsWatchEventsAsTheyHappen() throws Exception {
    HttpResponse<String> list =
        call("GET", "/apis/apps/v1/namespaces/default/deployments", null, null);
    String rv = list.body().replaceAll("(?s).*\"resourceVersion\":\"(\\d+)\".*", "$1");
    HttpResponse<Stream<String>> watch =
        http.sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + proxy.port()
                                + "/apis/apps/v1/namespaces/default/deployments?watch=1&resourceVersion="
                                + rv))
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            // The headers come before any event: a quiet watch must not look like a hung one.
            .get(60, TimeUnit.SECONDS);
    assertEquals(200, watch.statusCode());
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    Thread reader = Thread.ofVirtual().start(() -> watch.body().forEach(events::add));
    try {
      cluster.addRunningDeployment("default", "web", 1);
      String first = events.poll(60, TimeUnit.SECONDS);
      assertTrue(first != null && first.contains("\"type\":\"ADDED\""), String.valueOf(first));
      assertTrue(first.contains("\"name\":\"web\""), first);
    } finally {
      watch.body().close();
      reader.interrupt();
    }
  }

  private int replicas() {
    return cluster
        .get("/apis/apps/v1/namespaces/default/deployments/web")
        .path("spec")
        .path("replicas")
        .asInt();
  }
}
