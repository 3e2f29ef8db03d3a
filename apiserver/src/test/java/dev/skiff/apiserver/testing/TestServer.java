package dev.skiff.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** An API server on an ephemeral loopback port over an in-memory store, with a JSON client. */
public final class TestServer implements AutoCloseable {
  public static final ObjectMapper JSON = new ObjectMapper();

  private final MemoryStore store = new MemoryStore();
  private final ApiServer server;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public TestServer() {
    server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
  }

  public MemoryStore store() {
    return store;
  }

  public int port() {
    return server.port();
  }

  public String url() {
    return "http://127.0.0.1:" + port();
  }

  /** A response: status code, headers and body parsed as JSON when it is JSON. */
  public record Reply(int code, JsonNode json, String body, HttpResponse<String> raw) {
    public String message() {
      return json.path("message").asText();
    }

    public String reason() {
      return json.path("reason").asText();
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse("");
    }
  }

  public Reply get(String path) {
    return send("GET", path, null, null, "application/json");
  }

  public Reply send(String method, String path, String body, String contentType, String accept) {
    try {
      HttpResponse<String> r =
          http.send(
              request(method, url() + path, body, contentType, accept),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(r.body());
      } catch (IOException e) {
        json = JSON.createObjectNode();
      }
      return new Reply(r.statusCode(), json == null ? JSON.createObjectNode() : json, r.body(), r);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request with {@code body} (none when null); headers only for the arguments not null. */
  public static HttpRequest request(
      String method, String url, String body, String contentType, String accept) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (accept != null) {
      b.header("Accept", accept);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return b.method(
            method,
            body == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  public Reply post(String path, String json) {
    return send("POST", path, json, "application/json", "application/json");
  }

  public Reply put(String path, String json) {
    return send("PUT", path, json, "application/json", "application/json");
  }

  public Reply patch(String path, String patchType, String json) {
    return send("PATCH", path, json, "application/" + patchType + "+json", "application/json");
  }

  public Reply delete(String path) {
    return send("DELETE", path, null, null, "application/json");
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    server.close();
    store.close();
  }
}
