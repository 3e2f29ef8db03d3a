package dev.skiff.controllers.framework;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceListBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InformersTest {

  /**
   * An API server whose first watch sends an event no client can parse; each list shows one more
   * namespace than the one before.
   */
  private static final class BrokenWatchServer extends Dispatcher {
    final AtomicInteger lists = new AtomicInteger();
    final AtomicInteger watches = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (!request.getPath().startsWith("/api/v1/namespaces")) {
        return new MockResponse().setResponseCode(404);
      }
      if (request.getPath().contains("watch=true")) {
        String body =
            watches.incrementAndGet() == 1
                ? "{\"type\":\"ADDED\",\"object\":{not json\n"
                : "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Namespace\",\"apiVersion\":\"v1\","
                    + "\"metadata\":{\"resourceVersion\":\""
                    + lists.get()
                    + "\"}}}\n";
        return new MockResponse().setResponseCode(200).setBody(body);
      }
      int n = lists.incrementAndGet();
      NamespaceListBuilder list =
          new NamespaceListBuilder().withNewMetadata().withResourceVersion("" + n).endMetadata();
      for (int i = 1; i <= n; i++) {
        list.addToItems(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("ns-" + i)
                .withResourceVersion("" + i)
                .endMetadata()
                .build());
      }
      return new MockResponse()
          .setResponseCode(200)
          .setHeader("Content-Type", "application/json")
          .setBody(Serialization.asJson(list.build()));
    }
  }

  @Test
  void aWatchThatFailsAfterTheSyncRelists() throws Exception {
    BrokenWatchServer api = new BrokenWatchServer();
    MockWebServer server = new MockWebServer();
    server.setDispatcher(api);
    server.start(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient client =
            new KubernetesClientBuilder()
                .withConfig(
                    new ConfigBuilder(Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + server.getPort())
                        .withOnlyHttpWatches(true)
                        .withHttp2Disable(true)
                        .build())
                .build();
        Informers informers = new Informers(client)) {
      var namespaces = informers.of(Namespace.class);
      informers.start(Duration.ofSeconds(30));
      assertTrue(api.lists.get() >= 1);

      // Only a list after the broken watch can show the second namespace.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> namespaces.getIndexer().getByKey("ns-2") != null);
      assertTrue(api.watches.get() >= 1);
    } finally {
      server.shutdown();
    }
  }
}
