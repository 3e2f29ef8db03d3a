package dev.skiff.controllers.deployment;

import dev.skiff.controllers.framework.Controller;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.replicaset.ReplicaSetController;
import dev.skiff.controllers.testing.AppWorkload;
import dev.skiff.controllers.testing.RunningControllers;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the Deployment tests share: per test, an API server with the ReplicaSet and Deployment
 * controllers and a fake kubelet; Deployments in {@code default} labelled {@code app=NAME}; and
 * what {@code kubectl} does and reads about them: set image, pause and resume, rollout status, and
 * the ReplicaSets they own.
 */
abstract class DeploymentHarness {
  static final Duration WAIT = Duration.ofSeconds(90);

  @RegisterExtension final RunningControllers cluster;
  KubernetesClient client;

  DeploymentHarness() {
    cluster =
        RunningControllers.of(ReplicaSetController::forReplicaSets, DeploymentController::new)
            .withFakeKubelet();
  }

  /** With {@code also} running beside the ReplicaSet and Deployment controllers. */
  DeploymentHarness(Function<ControllerContext, ? extends Controller> also) {
    cluster =
        RunningControllers.of(ReplicaSetController::forReplicaSets, DeploymentController::new, also)
            .withFakeKubelet();
  }

  @BeforeEach
  void connect() {
    client = cluster.client();
  }

  /** A Deployment of one container running {@code image}, with upstream's default limits. */
  static DeploymentBuilder deployment(String name, int replicas, String image) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withProgressDeadlineSeconds(600)
        .withRevisionHistoryLimit(10)
        .withSelector(AppWorkload.selector(name))
        .withTemplate(AppWorkload.template(name, "app", image))
        .endSpec();
  }

  Deployment get(String name) {
    return client.apps().deployments().inNamespace("default").withName(name).get();
  }

  /** The ReplicaSets labelled {@code app=<app>}, by revision. */
  List<ReplicaSet> replicaSets(String app) {
    return client
        .apps()
        .replicaSets()
        .inNamespace("default")
        .withLabel("app", app)
        .list()
        .getItems()
        .stream()
        .sorted(
            Comparator.comparing(
                rs ->
                    rs.getMetadata()
                        .getAnnotations()
                        .getOrDefault(ReplicaSetAnnotations.REVISION, "")))
        .toList();
  }

  ReplicaSet replicaSetWithImage(String app, String image) {
    return replicaSets(app).stream().filter(rs -> image.equals(image(rs))).findFirst().orElse(null);
  }

  static String image(ReplicaSet rs) {
    return rs.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage();
  }

  /** The reason of the Deployment's condition of {@code type}, or null. */
  static String condition(Deployment d, String type) {
    if (d.getStatus() == null) {
      return null;
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .map(DeploymentCondition::getReason)
        .findFirst()
        .orElse(null);
  }

  /** What {@code kubectl rollout status} waits for. */
  boolean rolledOut(String name) {
    Deployment d = get(name);
    var s = d.getStatus();
    return s != null
        && s.getObservedGeneration() != null
        && s.getObservedGeneration() >= d.getMetadata().getGeneration()
        && d.getSpec().getReplicas().equals(s.getUpdatedReplicas())
        && d.getSpec().getReplicas().equals(s.getReplicas())
        && d.getSpec().getReplicas().equals(s.getAvailableReplicas())
        && "NewReplicaSetAvailable".equals(condition(d, "Progressing"));
  }

  /** As {@code kubectl set image}. */
  void setImage(String name, String image) {
    client
        .apps()
        .deployments()
        .inNamespace("default")
        .withName(name)
        .edit(
            d ->
                new DeploymentBuilder(d)
                    .editSpec()
                    .editTemplate()
                    .editSpec()
                    .editFirstContainer()
                    .withImage(image)
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build());
  }

  /**
   * As {@code kubectl rollout pause/resume}: a merge patch without resourceVersion, retried on
   * conflict as kubectl retries its patches.
   */
  void pause(String name, boolean paused) {
    for (int attempt = 1; ; attempt++) {
      try {
        client
            .apps()
            .deployments()
            .inNamespace("default")
            .withName(name)
            .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"paused\":" + paused + "}}");
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == 5) {
          throw e;
        }
      }
    }
  }
}
