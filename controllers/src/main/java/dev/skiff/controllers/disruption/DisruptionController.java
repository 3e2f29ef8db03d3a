package dev.skiff.controllers.disruption;

import dev.skiff.api.selection.LabelSelector;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Keeps each PodDisruptionBudget's status current: how many of its pods are healthy, how many must
 * stay healthy, and so how many may be disrupted now. The eviction API reads {@code
 * disruptionsAllowed}; pods it has just evicted ({@code disruptedPods}) are not counted healthy
 * until they are gone or {@link #DELETION_TIMEOUT} has passed.
 */
public final class DisruptionController extends QueueController {
  static final Duration DELETION_TIMEOUT = Duration.ofMinutes(2);

  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<PodDisruptionBudget> budgets;
  private final SharedIndexInformer<Pod> pods;
  private final ExpectedScale scale;

  public DisruptionController(ControllerContext context) {
    super("disruption");
    this.client = context.client();
    this.clock = context.clock();
    var informers = context.informers();
    this.budgets = informers.of(PodDisruptionBudget.class);
    this.pods = informers.of(Pod.class);
    SharedIndexInformer<ReplicaSet> replicaSets = informers.of(ReplicaSet.class);
    SharedIndexInformer<Deployment> deployments = informers.of(Deployment.class);
    SharedIndexInformer<StatefulSet> statefulSets = informers.of(StatefulSet.class);
    SharedIndexInformer<ReplicationController> rcs = informers.of(ReplicationController.class);
    this.scale = new ExpectedScale(replicaSets, deployments, statefulSets, rcs);
    budgets.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.of(
            this::podChanged,
            (old, pod) -> {
              podChanged(pod);
              if (!Objects.equals(old.getMetadata().getLabels(), pod.getMetadata().getLabels())) {
                podChanged(old);
              }
            },
            this::podChanged));
    // A controller's scale is the expected pods of budgets given as maxUnavailable or percent: its
    // arrival counts too, as each informer has its own watch and a controller may reach its cache
    // after its pods and budget did, leaving the budget SyncFailed until something else changed.
    replicaSets.addEventHandler(Handlers.any(this::enqueueNamespace));
    deployments.addEventHandler(Handlers.any(this::enqueueNamespace));
    statefulSets.addEventHandler(Handlers.any(this::enqueueNamespace));
    rcs.addEventHandler(Handlers.any(this::enqueueNamespace));
  }

  private void enqueueNamespace(HasMetadata object) {
    budgets
        .getIndexer()
        .byIndex(Cache.NAMESPACE_INDEX, object.getMetadata().getNamespace())
        .forEach(this::enqueue);
  }

  private void podChanged(Pod pod) {
    for (PodDisruptionBudget pdb :
        budgets.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
      if (selector(pdb).matches(pod.getMetadata().getLabels())) {
        enqueue(pdb);
      }
    }
  }

  private static LabelSelector selector(PodDisruptionBudget pdb) {
    // policy/v1: an empty selector selects every pod in the namespace, a missing one none.
    return pdb.getSpec().getSelector() == null
        ? LabelSelector.nothing()
        : LabelSelector.fromModel(pdb.getSpec().getSelector());
  }

  @Override
  protected void reconcile(String key) {
    PodDisruptionBudget pdb = budgets.getIndexer().getByKey(key);
    if (pdb == null || pdb.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    Instant now = clock.instant();
    LabelSelector selector = selector(pdb);
    List<Pod> selected = new ArrayList<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pdb.getMetadata().getNamespace())) {
      if (selector.matches(pod.getMetadata().getLabels())) {
        selected.add(pod);
      }
    }
    Map<String, String> disrupted = stillDisrupted(pdb, selected, now);
    int healthy = 0;
    for (Pod pod : selected) {
      if (pod.getMetadata().getDeletionTimestamp() == null
          && !disrupted.containsKey(pod.getMetadata().getName())
          && Pods.isReady(pod)) {
        healthy++;
      }
    }
    PodDisruptionBudgetStatus status;
    try {
      int[] expectedAndDesired = expectedAndDesired(pdb, selected);
      int allowed = healthy - expectedAndDesired[1];
      if (expectedAndDesired[0] <= 0 || allowed < 0) {
        allowed = 0;
      }
      status =
          status(pdb, healthy, expectedAndDesired[1], expectedAndDesired[0], allowed, disrupted)
              .withConditions(
                  condition(
                      pdb,
                      allowed > 0,
                      allowed > 0 ? "SufficientPods" : "InsufficientPods",
                      "",
                      now))
              .build();
    } catch (ExpectedScale.ScaleUnknownException e) {
      status =
          status(pdb, healthy, 0, 0, 0, disrupted)
              .withConditions(condition(pdb, false, "SyncFailed", e.getMessage(), now))
              .build();
    }
    if (!disrupted.isEmpty()) {
      enqueueAfter(key, DELETION_TIMEOUT.plusSeconds(1));
    }
    if (sameStatus(pdb.getStatus(), status)) {
      return;
    }
    // A copy: the cached budget must keep what the server has until the informer says otherwise,
    // or a failed write would leave the cache claiming a status no one wrote, and the next sync
    // would find nothing to do.
    PodDisruptionBudget updated = new PodDisruptionBudgetBuilder(pdb).withStatus(status).build();
    try {
      client
          .policy()
          .v1()
          .podDisruptionBudget()
          .inNamespace(pdb.getMetadata().getNamespace())
          .resource(updated)
          .updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** [expected pods, desired healthy] as upstream computes them. */
  private int[] expectedAndDesired(PodDisruptionBudget pdb, List<Pod> selected)
      throws ExpectedScale.ScaleUnknownException {
    IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
    IntOrString minAvailable = pdb.getSpec().getMinAvailable();
    if (maxUnavailable != null) {
      int expected = scale.of(selected);
      int unavailable = scaled(maxUnavailable, expected);
      return new int[] {expected, Math.max(0, expected - unavailable)};
    }
    if (minAvailable != null) {
      if (minAvailable.getIntVal() != null) {
        return new int[] {selected.size(), minAvailable.getIntVal()};
      }
      int expected = scale.of(selected);
      return new int[] {expected, scaled(minAvailable, expected)};
    }
    return new int[] {selected.size(), 0};
  }

  /** An int, or a percentage of {@code total} rounded up. */
  static int scaled(IntOrString value, int total) {
    if (value.getIntVal() != null) {
      return value.getIntVal();
    }
    String text = value.getStrVal().trim();
    int percent = Integer.parseInt(text.substring(0, text.length() - 1));
    return (int) Math.ceil(percent * (double) total / 100);
  }

  /** Evictions recorded by the eviction API whose pods are still there, not yet timed out. */
  private static Map<String, String> stillDisrupted(
      PodDisruptionBudget pdb, List<Pod> selected, Instant now) {
    Map<String, String> kept = new TreeMap<>();
    if (pdb.getStatus() == null || pdb.getStatus().getDisruptedPods() == null) {
      return kept;
    }
    for (var entry : pdb.getStatus().getDisruptedPods().entrySet()) {
      Pod pod =
          selected.stream()
              .filter(p -> p.getMetadata().getName().equals(entry.getKey()))
              .findFirst()
              .orElse(null);
      if (pod == null || pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (Instant.parse(entry.getValue()).plus(DELETION_TIMEOUT).isAfter(now)) {
        kept.put(entry.getKey(), entry.getValue());
      }
    }
    return kept;
  }

  private static PodDisruptionBudgetStatusBuilder status(
      PodDisruptionBudget pdb,
      int healthy,
      int desired,
      int expected,
      int allowed,
      Map<String, String> disrupted) {
    return new PodDisruptionBudgetStatusBuilder()
        .withObservedGeneration(pdb.getMetadata().getGeneration())
        .withCurrentHealthy(healthy)
        .withDesiredHealthy(desired)
        .withExpectedPods(expected)
        .withDisruptionsAllowed(allowed)
        .withDisruptedPods(disrupted.isEmpty() ? null : disrupted);
  }

  private static Condition condition(
      PodDisruptionBudget pdb, boolean allowed, String reason, String message, Instant now) {
    String status = allowed ? "True" : "False";
    Condition previous =
        pdb.getStatus() == null
            ? null
            : pdb.getStatus().getConditions().stream()
                .filter(c -> "DisruptionAllowed".equals(c.getType()))
                .findFirst()
                .orElse(null);
    String since =
        previous != null && status.equals(previous.getStatus())
            ? previous.getLastTransitionTime()
            : now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new ConditionBuilder()
        .withType("DisruptionAllowed")
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(pdb.getMetadata().getGeneration())
        .withLastTransitionTime(since)
        .build();
  }

  private static boolean sameStatus(PodDisruptionBudgetStatus a, PodDisruptionBudgetStatus b) {
    if (a == null) {
      return false;
    }
    return Objects.equals(a.getCurrentHealthy(), b.getCurrentHealthy())
        && Objects.equals(a.getDesiredHealthy(), b.getDesiredHealthy())
        && Objects.equals(a.getExpectedPods(), b.getExpectedPods())
        && Objects.equals(a.getDisruptionsAllowed(), b.getDisruptionsAllowed())
        && Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())
        && Objects.equals(
            a.getDisruptedPods() == null || a.getDisruptedPods().isEmpty()
                ? null
                : a.getDisruptedPods(),
            b.getDisruptedPods())
        && Objects.equals(a.getConditions(), b.getConditions());
  }
}
