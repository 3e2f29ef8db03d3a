package dev.skiff.controllers.framework;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.ScriptedApiServer;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceListBuilder;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
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
        return watches.incrementAndGet() == 1
            ? new MockResponse()
                .setResponseCode(200)
                .setBody("{\"type\":\"ADDED\",\"object\":{not json\n")
            : ScriptedApiServer.bookmark("Namespace", "" + lists.get());
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
      return ScriptedApiServer.json(200, list.build());
    }
  }

  @Test
  void aWatchThatFailsAfterTheSyncRelists() throws Exception {
    BrokenWatchServer api = new BrokenWatchServer();
    try (ScriptedApiServer server = new ScriptedApiServer(api)) {
      var namespaces = server.informers().of(Namespace.class);
      server.informers().start(Duration.ofSeconds(30));
      assertTrue(api.lists.get() >= 1);

      // Only a list after the broken watch can show the second namespace.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> namespaces.getIndexer().getByKey("ns-2") != null);
      assertTrue(api.watches.get() >= 1);
    }
  }
}
