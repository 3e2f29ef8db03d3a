package dev.skiff.network.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/** kube-proxy's /healthz and /livez on loopback, with a clock the test moves. */
class ProxyHealthServerTest {
  /** A clock that stands still until told to move. */
  private static final class ManualClock extends Clock {
    private Instant now = Instant.parse("2026-01-02T03:04:05.5Z");

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aChangeThatWaitsLongerThanTheTimeoutMakesTheProxyUnhealthyUntilASyncSucceeds()
      throws Exception {
    ManualClock clock = new ManualClock();
    ProxyHealth health = new ProxyHealth(clock, Duration.ofSeconds(60));
    try (ProxyHealthServer server = new ProxyHealthServer(health, "127.0.0.1", 0)) {
      HttpResponse<String> ok = get(server.port(), "/healthz");
      assertEquals(200, ok.statusCode());
      assertEquals(
          "{\"lastUpdated\": \"2026-01-02 03:04:05.5 +0000 UTC\",\"currentTime\":"
              + " \"2026-01-02 03:04:05.5 +0000 UTC\", \"nodeEligible\": true}",
          ok.body());

      // A change arrives and every sync fails: healthy for the timeout, then not.
      clock.advance(Duration.ofSeconds(10));
      health.queued();
      clock.advance(Duration.ofSeconds(60));
      assertEquals(200, get(server.port(), "/livez").statusCode());
      clock.advance(Duration.ofSeconds(1));
      HttpResponse<String> stale = get(server.port(), "/livez");
      assertEquals(503, stale.statusCode());
      assertEquals(
          "{\"lastUpdated\": \"2026-01-02 03:04:05.5 +0000 UTC\",\"currentTime\":"
              + " \"2026-01-02 03:05:16.5 +0000 UTC\"}",
          stale.body());
      assertEquals(503, get(server.port(), "/healthz").statusCode());

      health.updated();
      assertEquals(200, get(server.port(), "/healthz").statusCode());

      // A node on its way out is not eligible: /healthz fails, /livez does not.
      health.nodeEligible(false);
      HttpResponse<String> leaving = get(server.port(), "/healthz");
      assertEquals(503, leaving.statusCode());
      assertTrue(leaving.body().endsWith("\"nodeEligible\": false}"), leaving.body());
      assertEquals(200, get(server.port(), "/livez").statusCode());
    }
  }
}
