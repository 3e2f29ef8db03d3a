package dev.skiff.apiserver.watch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.apiserver.testing.TestServer;
import dev.skiff.storage.sqlite.SqliteStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upstream's guarantee, as the garbage collector relies on it: a GET issued after a watch event was
 * received reflects at least that event. Over the embedded SQLite store, with several writers, a
 * client GETs every object whose DELETED event it has just read.
 */
class ReadAfterWatchTest {
  private static final int WRITERS = 4;
  private static final int OBJECTS_PER_WRITER = 150;

  @TempDir Path dir;

  @Test
  void aGetAfterADeletedEventFindsNothing() throws Exception {
    try (SqliteStore store = SqliteStore.open(dir.resolve("state.db"));
        ApiServer server =
            new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      server.start();
      String base = "http://127.0.0.1:" + server.port();
      String cms = "/api/v1/namespaces/gc/configmaps";
      send(http, "POST", base + "/api/v1/namespaces", "{\"metadata\":{\"name\":\"gc\"}}");

      List<String> stale = new CopyOnWriteArrayList<>();
      AtomicInteger deletes = new AtomicInteger();
      HttpResponse<Stream<String>> watch =
          http.send(
              HttpRequest.newBuilder(URI.create(base + cms + "?watch=1")).build(),
              HttpResponse.BodyHandlers.ofLines());
      Thread reader =
          Thread.ofVirtual()
              .start(
                  () ->
                      watch
                          .body()
                          .forEach(
                              line -> {
                                JsonNode e = json(line);
                                if (!e.path("type").asText().equals("DELETED")) {
                                  return;
                                }
                                String name = e.at("/object/metadata/name").asText();
                                HttpResponse<String> got =
                                    send(http, "GET", base + cms + "/" + name, null);
                                if (got.statusCode() != 404) {
                                  stale.add(name + " read back as " + got.statusCode());
                                }
                                deletes.incrementAndGet();
                              }));
      ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          done.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < OBJECTS_PER_WRITER; i++) {
                      String name = "owner-" + writer + "-" + i;
                      send(http, "POST", base + cms, "{\"metadata\":{\"name\":\"" + name + "\"}}");
                      send(http, "DELETE", base + cms + "/" + name, null);
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> deletes.get() == WRITERS * OBJECTS_PER_WRITER);
      } finally {
        pool.shutdown();
        watch.body().close();
        reader.interrupt();
      }
      assertEquals(List.of(), stale.stream().limit(5).toList());
    }
  }

  private static JsonNode json(String text) {
    try {
      return TestServer.JSON.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> send(
      HttpClient http, String method, String url, String body) {
    String contentType = body == null ? null : "application/json";
    try {
      HttpResponse<String> r =
          http.send(
              TestServer.request(method, url, body, contentType, null),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() >= 300 && !method.equals("GET")) {
        throw new AssertionError(method + " " + url + ": " + r.statusCode() + " " + r.body());
      }
      return r;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
