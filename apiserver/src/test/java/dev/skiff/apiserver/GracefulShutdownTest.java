package dev.skiff.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.testing.MemoryStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping the API server, as on SIGTERM: watches end at once, new requests are refused, and a
 * request already in flight still gets its answer.
 */
class GracefulShutdownTest {
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private ApiServer api;
  private int port;

  /** Answers /slow only when the test lets it: a request in flight while the server stops. */
  private final class Slow extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback)
        throws InterruptedException {
      if (!Request.getPathInContext(request).equals("/slow")) {
        return false;
      }
      entered.countDown();
      release.await();
      response.setStatus(200);
      Content.Sink.write(response, true, "done", callback);
      return true;
    }
  }

  @AfterEach
  void cleanUp() {
    release.countDown();
    client.shutdownNow();
    if (api != null) {
      api.close();
    }
  }

  private HttpRequest get(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(60))
        .build();
  }

  @Test
  void stopEndsWatchesRefusesNewRequestsAndFinishesThoseInFlight() throws Exception {
    api = new ApiServer(ApiServerConfig.plainHttp(0), new MemoryStore(), new BuiltinRegistry());
    api.addPublicHandler(new Slow());
    api.start();
    // The stopped connector no longer reports the port.
    port = api.port();

    HttpResponse<InputStream> watch =
        client.send(
            get("/api/v1/namespaces/default/configmaps?watch=true"),
            HttpResponse.BodyHandlers.ofInputStream());
    assertEquals(200, watch.statusCode());
    CompletableFuture<byte[]> watchEnded =
        CompletableFuture.supplyAsync(
            () -> {
              try (InputStream in = watch.body()) {
                return in.readAllBytes();
              } catch (IOException e) {
                throw new IllegalStateException("the watch broke instead of ending", e);
              }
            });
    CompletableFuture<HttpResponse<String>> slow =
        client.sendAsync(get("/slow"), HttpResponse.BodyHandlers.ofString());
    entered.await();

    Thread stopping = Thread.ofPlatform().start(api::close);
    watchEnded.get(60, TimeUnit.SECONDS);

    HttpClient late = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    try {
      int code;
      try {
        // Answered 503, refused, or (once the acceptor is gone) left unanswered in the backlog.
        var request =
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version"))
                .timeout(Duration.ofSeconds(5))
                .build();
        code = late.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException refused) {
        code = -1;
      }
      assertNotEquals(200, code, "a request that arrives while stopping is refused");
    } finally {
      late.shutdownNow();
    }

    release.countDown();
    HttpResponse<String> answered = slow.get(60, TimeUnit.SECONDS);
    assertEquals(200, answered.statusCode());
    assertEquals("done", new String(answered.body().getBytes(), StandardCharsets.UTF_8));
    stopping.join(Duration.ofSeconds(60));
    assertEquals(false, stopping.isAlive(), "close returns once the drain is done");
  }
}
