package dev.skiff.controllers.serviceaccount;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.NamespaceTerminatingCause;
import dev.skiff.controllers.testing.ScriptedApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountListBuilder;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ServiceAccountCreateRetryTest {

  /**
   * An API server that lists one new namespace and no service accounts, and answers the first
   * create in that namespace as if it had not seen the namespace yet.
   */
  private static final class LaggingServer extends Dispatcher {
    final AtomicInteger creates = new AtomicInteger();

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      if (request.getMethod().equals("POST")
          && path.startsWith("/api/v1/namespaces/fresh/serviceaccounts")) {
        if (creates.incrementAndGet() == 1) {
          return ScriptedApiServer.notFound("namespaces", "fresh");
        }
        return ScriptedApiServer.echo(201, request);
      }
      if (path.contains("watch=true")) {
        return ScriptedApiServer.bookmark("Namespace", "1");
      }
      if (path.startsWith("/api/v1/namespaces")) {
        return ScriptedApiServer.namespaces(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("fresh")
                .withResourceVersion("1")
                .endMetadata()
                .withNewStatus()
                .withPhase("Active")
                .endStatus()
                .build());
      }
      if (path.startsWith("/api/v1/serviceaccounts")) {
        return ScriptedApiServer.json(
            200,
            new ServiceAccountListBuilder()
                .withNewMetadata()
                .withResourceVersion("1")
                .endMetadata()
                .build());
      }
      return new MockResponse().setResponseCode(404);
    }
  }

  @Test
  void aCreateRefusedWithNotFoundIsRetried() throws Exception {
    LaggingServer api = new LaggingServer();
    try (ScriptedApiServer server = new ScriptedApiServer(api);
        ServiceAccountsController controller = new ServiceAccountsController(server.context())) {
      server.informers().start(Duration.ofSeconds(30));
      controller.start(1);
      await().atMost(Duration.ofSeconds(30)).until(() -> api.creates.get() >= 2);
    }
  }

  @Test
  void onlyATerminatingNamespaceRefusesForGood() {
    Status terminating =
        new StatusBuilder()
            .withCode(403)
            .withReason("Forbidden")
            .withNewDetails()
            .addNewCause()
            .withReason(NamespaceTerminatingCause.REASON)
            .endCause()
            .endDetails()
            .build();
    assertTrue(NamespaceTerminatingCause.isIn(new KubernetesClientException(terminating)));
    Status forbidden = new StatusBuilder().withCode(403).withReason("Forbidden").build();
    assertFalse(NamespaceTerminatingCause.isIn(new KubernetesClientException(forbidden)));
    assertFalse(
        NamespaceTerminatingCause.isIn(
            new KubernetesClientException(new StatusBuilder().withCode(404).build())));
  }
}
