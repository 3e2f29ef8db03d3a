package dev.skiff.controllers.namespace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.framework.ApiResource;
import dev.skiff.controllers.testing.ScriptedApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NamespaceFinalizeTest {

  /**
   * An API server with one empty, terminating namespace, which another deleter finishes just before
   * this controller's finalize arrives.
   */
  private static final class FinishedElsewhere extends Dispatcher {
    final AtomicInteger finalizes = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (path.contains("watch=true")) {
        return ScriptedApiServer.bookmark("Namespace", "1");
      }
      if (request.getMethod().equals("PUT") && path.equals("/api/v1/namespaces/gone/status")) {
        return ScriptedApiServer.echo(200, request);
      }
      if (request.getMethod().equals("PUT") && path.equals("/api/v1/namespaces/gone/finalize")) {
        finalizes.incrementAndGet();
        return ScriptedApiServer.notFound("namespaces", "gone");
      }
      if (path.startsWith("/api/v1/namespaces")) {
        return ScriptedApiServer.namespaces(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("gone")
                .withResourceVersion("1")
                .withDeletionTimestamp("2026-01-01T00:00:00Z")
                .endMetadata()
                .withNewSpec()
                .withFinalizers(NamespaceController.FINALIZER)
                .endSpec()
                .withNewStatus()
                .withPhase("Terminating")
                .endStatus()
                .build());
      }
      return new MockResponse().setResponseCode(404);
    }
  }

  @Test
  void aFinalizeOfANamespaceAlreadyGoneIsDone() throws Exception {
    FinishedElsewhere api = new FinishedElsewhere();
    try (ScriptedApiServer server = new ScriptedApiServer(api);
        NamespaceController controller =
            new NamespaceController(
                server.context(), () -> new ApiResource.Discovered(List.of(), List.of()))) {
      server.informers().start(Duration.ofSeconds(30));

      // Throwing would count as a failed sync: logged as an error and retried.
      controller.reconcile("gone");
      assertEquals(1, api.finalizes.get());
    }
  }
}
