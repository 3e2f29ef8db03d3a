package dev.skiff.controllers.testing;

import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The harness of most controller tests, as a JUnit extension: before each test a fresh {@link
 * TestCluster} with the given controllers running (and a {@link FakeKubelet}, if asked for); after
 * it, whether it passed or not, everything stopped and removed.
 */
public final class RunningControllers implements BeforeEachCallback, AfterEachCallback {
  private final List<Function<ControllerContext, ? extends Controller>> controllers;
  private final boolean withKubelet;
  private TestCluster cluster;
  private FakeKubelet kubelet;

  private RunningControllers(
      List<Function<ControllerContext, ? extends Controller>> controllers, boolean withKubelet) {
    this.controllers = controllers;
    this.withKubelet = withKubelet;
  }

  @SafeVarargs
  public static RunningControllers of(Function<ControllerContext, ? extends Controller>... each) {
    List<Function<ControllerContext, ? extends Controller>> controllers = new ArrayList<>();
    for (var factory : each) {
      controllers.add(factory);
    }
    return new RunningControllers(controllers, false);
  }

  /** The same controllers, with a fake kubelet reporting every new pod Running and Ready. */
  public RunningControllers withFakeKubelet() {
    return new RunningControllers(controllers, true);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    cluster = new TestCluster();
    if (withKubelet) {
      kubelet = cluster.add(new FakeKubelet(cluster.client()));
    }
    cluster.start(controllers);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    cluster.close();
  }

  public TestCluster cluster() {
    return cluster;
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  /** The fake kubelet; only with {@link #withFakeKubelet}. */
  public FakeKubelet kubelet() {
    if (kubelet == null) {
      throw new IllegalStateException("no fake kubelet: use withFakeKubelet()");
    }
    return kubelet;
  }
}
