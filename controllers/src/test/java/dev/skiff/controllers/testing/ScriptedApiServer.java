package dev.skiff.controllers.testing;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
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
