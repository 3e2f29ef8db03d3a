package dev.skiff.controllers.testing;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Informers;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;

/**
 * An API server on a loopback port with controllers running against it through a real HTTP client,
 * as in production: Skiff's own over a SQLite store in a temporary directory, or, for tests that
 * meet a gap of Skiff's API server, fabric8's CRUD mock ({@link #onMock}).
 */
public final class TestCluster implements AutoCloseable {
  private final Path dataDir;
  private final Store store;
  private final ApiServer server;
  private final KubernetesMockServer mock;
  private final KubernetesClient client;
  private final Informers informers;
  private final ControllerContext context;
  private final List<AutoCloseable> running = new ArrayList<>();

  /** A cluster on fabric8's CRUD mock API server. */
  public static TestCluster onMock() {
    return new TestCluster(true);
  }

  public TestCluster() {
    this(false);
  }

  private TestCluster(boolean onMock) {
    if (onMock) {
      dataDir = null;
      store = null;
      server = null;
      mock =
          new KubernetesMockServer(
              new Context(),
              new MockWebServer(),
              new HashMap<>(),
              new KubernetesCrudDispatcher(),
              false);
      mock.init(InetAddress.getLoopbackAddress(), 0);
      client = mock.createClient();
      informers = new Informers(client);
      context = new ControllerContext(client, informers, Clock.systemUTC());
      return;
    }
    mock = null;
    try {
      dataDir = Files.createTempDirectory("skiff-controllers-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    store = Stores.open(null, dataDir);
    server = new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry());
    server.start();
    client = connect();
    informers = new Informers(client);
    context = new ControllerContext(client, informers, Clock.systemUTC());
  }

  private KubernetesClient connect() {
    if (mock != null) {
      return mock.createClient();
    }
    return connect(server.port());
  }

  /** A client of the API server on loopback {@code port}, in namespace {@code default}. */
  static KubernetesClient connect(int port) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + port)
                .withNamespace("default")
                // The API server does not serve watches over WebSocket yet.
                .withOnlyHttpWatches(true)
                // Over h2c every watch and request shares one connection; under load a watch
                // stream stopped delivering and whole tests stalled. One connection per request
                // stream (HTTP/1.1) has not stalled since.
                .withHttp2Disable(true)
                .build())
        .build();
  }

  public KubernetesClient client() {
    return client;
  }

  /** Another client of the same API server, as a second controller-manager process would have. */
  public KubernetesClient newClient() {
    KubernetesClient other = connect();
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
    List<Function<ControllerContext, ? extends Controller>> each = new ArrayList<>();
    for (var factory : controllers) {
      each.add(factory);
    }
    start(each);
  }

  /** Builds controllers from the shared context, syncs the informers and starts them. */
  public void start(List<Function<ControllerContext, ? extends Controller>> controllers)
      throws Exception {
    List<Controller> built = new ArrayList<>();
    for (var factory : controllers) {
      built.add(factory.apply(context));
    }
    // As the controller manager allows: on a loaded CI machine ten seconds were once not enough.
    informers.start(Duration.ofMinutes(1));
    for (Controller controller : built) {
      controller.start(2);
      running.add(controller);
    }
  }

  /** Runs {@code component} (a test double such as the fake kubelet) until the cluster closes. */
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
    if (mock != null) {
      try {
        mock.destroy();
      } catch (IllegalStateException e) {
        // Its event loop may take longer than fabric8's close timeout on a loaded machine; the
        // test itself is over and its port is released when the loop ends.
        System.err.println("mock API server still closing: " + e.getMessage());
      }
      return;
    }
    server.close();
    store.close();
    try (var files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
