package dev.skiff.apiserver.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads a watch stream line by line into a queue of events. */
public final class WatchClient implements AutoCloseable {
  private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> done;
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile Stream<String> lines;
  private final int status;

  public WatchClient(String url, String accept) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (accept != null) {
      b.header("Accept", accept);
    }
    HttpResponse<Stream<String>> r = http.send(b.build(), HttpResponse.BodyHandlers.ofLines());
    status = r.statusCode();
    lines = r.body();
    done =
        CompletableFuture.runAsync(
            () ->
                lines.forEach(
                    l -> {
                      try {
                        events.add(TestServer.JSON.readTree(l));
                      } catch (Exception e) {
                        events.add(TestServer.JSON.createObjectNode().put("unparsed", l));
                      }
                    }));
  }

  public int status() {
    return status;
  }

  /** The next event, waiting up to 10 seconds; fails the test if none comes. */
  public JsonNode next() throws InterruptedException {
    JsonNode e = events.poll(10, TimeUnit.SECONDS);
    if (e == null) {
      throw new AssertionError("no watch event within 10s");
    }
    return e;
  }

  /** True once the server ended the stream. */
  public boolean ended() throws Exception {
    try {
      done.get(10, TimeUnit.SECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() {
    if (lines != null) {
      lines.close();
    }
    http.shutdownNow();
  }
}
