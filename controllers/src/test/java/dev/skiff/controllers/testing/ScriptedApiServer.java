package dev.skiff.controllers.testing;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceListBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.time.Clock;

/**
 * An API server on a loopback port that answers as a test's dispatcher scripts it, for failures a
 * real server does not make on cue, and what controllers need to run against it. Its client watches
 * over plain HTTP/1.1, so a watch is answered like any request: its events, one JSON object a line,
 * are the body.
 */
public final class ScriptedApiServer implements AutoCloseable {
  private final MockWebServer server = new MockWebServer();
  private final KubernetesClient client;
  private final Informers informers;
  private final ControllerContext context;

  public ScriptedApiServer(Dispatcher dispatcher) {
    server.setDispatcher(dispatcher);
    server.start(InetAddress.getLoopbackAddress(), 0);
    client = TestCluster.connect(server.getPort());
    informers = new Informers(client);
    context = new ControllerContext(client, informers, Clock.systemUTC());
  }

  public KubernetesClient client() {
    return client;
  }

  /** The shared informers of the controllers under test; the test starts them. */
  public Informers informers() {
    return informers;
  }

  public ControllerContext context() {
    return context;
  }

  /** A response of {@code code} with {@code body} as JSON. */
  public static MockResponse json(int code, Object body) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(body));
  }

  /** A list of {@code namespaces} at resourceVersion 1, as a GET of /api/v1/namespaces answers. */
  public static MockResponse namespaces(Namespace... namespaces) {
    return json(
        200,
        new NamespaceListBuilder()
            .withNewMetadata()
            .withResourceVersion("1")
            .endMetadata()
            .addToItems(namespaces)
            .build());
  }

  /** A write's answer: {@code code} and the request's body, as if the server stored it as is. */
  public static MockResponse echo(int code, RecordedRequest request) {
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(request.getUtf8Body());
  }

  /** The 404 of {@code name} of {@code resource} (plural) that the API server sends. */
  public static MockResponse notFound(String resource, String name) {
    return json(
        404,
        new StatusBuilder()
            .withStatus("Failure")
            .withCode(404)
            .withReason("NotFound")
            .withMessage(resource + " \"" + name + "\" not found")
            .build());
  }

  /** A watch that sends one BOOKMARK of {@code kind} at {@code resourceVersion}, then ends. */
  public static MockResponse bookmark(String kind, String resourceVersion) {
    return new MockResponse()
        .setResponseCode(200)
        .setBody(
            "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\""
                + kind
                + "\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\""
                + resourceVersion
                + "\"}}}\n");
  }

  @Override
  public void close() {
    context.close();
    informers.close();
    client.close();
    server.shutdown();
  }
}
