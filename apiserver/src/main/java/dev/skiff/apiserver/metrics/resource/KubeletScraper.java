package dev.skiff.apiserver.metrics.resource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.metrics.PrometheusText;
import dev.skiff.apiserver.proxy.KubeletAddress;
import dev.skiff.apiserver.proxy.KubeletClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metrics-server role: every {@code interval}, reads {@code /metrics/resource} from the kubelet
 * of each Ready node, through the client the node proxy uses, into a {@link MetricsStore}.
 */
public final class KubeletScraper implements AutoCloseable {
  /** metrics-server's default {@code --metric-resolution}. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(15);

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Logger LOG = LoggerFactory.getLogger(KubeletScraper.class);

  private final Supplier<List<JsonNode>> nodes;
  private final KubeletClient client;
  private final MetricsStore store;
  private final Duration interval;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("metrics-scraper").daemon().factory());

  /**
   * @param nodes the current Node objects
   */
  public KubeletScraper(
      Supplier<List<JsonNode>> nodes, KubeletClient client, MetricsStore store, Duration interval) {
    this.nodes = nodes;
    this.client = client;
    this.store = store;
    this.interval = interval;
  }

  public void start() {
    timer.scheduleWithFixedDelay(this::scrapeAll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  void scrapeAll() {
    try {
      Set<String> ready = new HashSet<>();
      try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
        for (JsonNode node : nodes.get()) {
          if (!isReady(node)) {
            continue;
          }
          String name = node.path("metadata").path("name").asText();
          ready.add(name);
          each.submit(() -> scrape(name, node));
        }
      }
      store.retain(ready);
    } catch (RuntimeException e) {
      LOG.warn("scraping kubelets failed", e);
    }
  }

  private void scrape(String name, JsonNode node) {
    try {
      KubeletAddress address = KubeletAddress.of(node);
      HttpResponse<String> r =
          client
              .http()
              .send(
                  HttpRequest.newBuilder(URI.create(address.url() + "/metrics/resource"))
                      .timeout(TIMEOUT)
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        String body = r.body();
        LOG.warn(
            "node {}: /metrics/resource answered {}: {}",
            name,
            r.statusCode(),
            body.substring(0, Math.min(body.length(), 200)));
        return;
      }
      store.record(name, PrometheusText.parse(r.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.warn("node {}: scraping /metrics/resource failed: {}", name, e.toString());
    }
  }

  static boolean isReady(JsonNode node) {
    for (JsonNode c : node.path("status").path("conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
