package dev.skiff.controllers.testing;

import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * An API server on loopback (fabric8's CRUD mock until Skiff's own API server lands) with
 * controllers running against it through a real HTTP client, as in production.
 */
public final class TestCluster implements AutoCloseable {
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final Informers informers;
  private final ControllerContext context;
  private final List<AutoCloseable> running = new ArrayList<>();

  public TestCluster() {
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    server.init(java.net.InetAddress.getLoopbackAddress(), 0);
    client = server.createClient();
    informers = new Informers(client);
    context = new ControllerContext(client, informers, Clock.systemUTC());
  }

  public KubernetesClient client() {
    return client;
  }

  /** Another client of the same API server, as a second controller-manager process would have. */
  public KubernetesClient newClient() {
    KubernetesClient other = server.createClient();
    running.add(other);
    return other;
  }

  public ControllerContext context() {
    return context;
  }

  /** Builds controllers from the shared context, syncs the informers and starts them. */
  @SafeVarargs
  public final void start(Function<ControllerContext, ? extends Controller>... controllers)
      throws Exception {
    List<Controller> built = new ArrayList<>();
    for (var factory : controllers) {
      built.add(factory.apply(context));
    }
    informers.start(Duration.ofSeconds(10));
    for (Controller controller : built) {
      controller.start(2);
      running.add(controller);
    }
  }

  /** Runs {@code kubelet} (or another double) until the cluster closes. */
  public <T extends AutoCloseable> T add(T component) {
    running.add(component);
    return component;
  }

  @Override
  public void close() {
    for (AutoCloseable component : running.reversed()) {
      try {
        component.close();
      } catch (Exception e) {
        throw new IllegalStateException("could not stop " + component, e);
      }
    }
    informers.close();
    context.close();
    client.close();
    server.destroy();
  }
}
