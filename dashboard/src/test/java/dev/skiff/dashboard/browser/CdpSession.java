package dev.skiff.dashboard.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Chrome DevTools Protocol connection over the JDK's WebSocket client: commands are JSON
 * messages with an id, answered by a message with the same id; events (no id) are not needed.
 */
final class CdpSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Generous: a loaded CI machine may be slow, and no command here should ever take long. */
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);

  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  CdpSession(HttpClient http, URI url) {
    socket = http.newWebSocketBuilder().buildAsync(url, new Listener()).join();
  }

  /** Sends a command and waits for its result; a protocol error becomes an exception. */
  JsonNode send(String method, Map<String, ?> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", JSON.valueToTree(params));
    try {
      socket.sendText(JSON.writeValueAsString(message), true).join();
      JsonNode answer = reply.get(REPLY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (answer.has("error")) {
        throw new IllegalStateException(method + ": " + answer.get("error"));
      }
      return answer.path("result");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(method + " interrupted", e);
    } catch (ExecutionException | TimeoutException | java.io.IOException e) {
      throw new IllegalStateException(method + ": " + e, e);
    } finally {
      pending.remove(id);
    }
  }

  @Override
  public void close() {
    socket.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        try {
          JsonNode message = JSON.readTree(text);
          if (message.has("id")) {
            CompletableFuture<JsonNode> reply = pending.get(message.get("id").asInt());
            if (reply != null) {
              reply.complete(message);
            }
          }
        } catch (java.io.IOException e) {
          pending.values().forEach(f -> f.completeExceptionally(e));
        }
      }
      ws.request(1);
      return null;
    }

    @Override
    public void onError(WebSocket ws, Throwable error) {
      pending.values().forEach(f -> f.completeExceptionally(error));
    }
  }
}
