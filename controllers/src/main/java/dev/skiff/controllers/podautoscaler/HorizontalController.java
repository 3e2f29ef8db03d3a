package dev.skiff.controllers.podautoscaler;

import dev.skiff.api.quantity.Quantity;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.api.selection.SelectorParseException;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.ResourceMetricStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The horizontal pod autoscaler: every sync period, reads each autoscaler's target scale and its
 * pods' usage, computes the replicas its resource metrics call for, stabilizes and rate-limits that
 * by its behavior, sets the target's scale and reports status and conditions as upstream does.
 */
public final class HorizontalController extends QueueController {
  /** kube-controller-manager's {@code --horizontal-pod-autoscaler-sync-period}. */
  public static final Duration DEFAULT_SYNC_PERIOD = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<HorizontalPodAutoscaler> autoscalers;
  private final SharedIndexInformer<Pod> pods;
  private final MetricsSource metrics;
  private final ScaleTargets targets;
  private final EventRecorder events;
  private final Duration syncPeriod;
  private final ScaleNormalizer normalizer;
  private final Map<String, ScalingHistory> histories = new ConcurrentHashMap<>();

  public HorizontalController(
      ControllerContext context,
      MetricsSource metrics,
      Duration syncPeriod,
      Duration downscaleStabilization) {
    super("horizontal-pod-autoscaler");
    this.client = context.client();
    this.clock = context.clock();
    this.metrics = metrics;
    this.syncPeriod = syncPeriod;
    this.normalizer = new ScaleNormalizer(downscaleStabilization);
    this.targets = new ScaleTargets(client);
    this.events = context.events("horizontal-pod-autoscaler");
    this.autoscalers = context.informers().of(HorizontalPodAutoscaler.class);
    this.pods = context.informers().of(Pod.class);
    // Each autoscaler is synced once per period, as upstream's are: a status write of its own
    // does not sync it again at once, which would take the next scaling step before the pods of
    // the last one have even started. A spec change is picked up at once.
    autoscalers.addEventHandler(
        Handlers.of(
            this::enqueue,
            (o, n) -> {
              if (!Objects.equals(
                  o.getMetadata().getGeneration(), n.getMetadata().getGeneration())) {
                enqueue(n);
              }
            },
            h -> enqueue(keyOf(h))));
  }

  public HorizontalController(ControllerContext context) {
    this(
        context,
        new ResourceMetricsClient(context.client()),
        DEFAULT_SYNC_PERIOD,
        ScaleNormalizer.DEFAULT_DOWNSCALE_WINDOW);
  }

  @Override
  protected void reconcile(String key) {
    HorizontalPodAutoscaler hpa = autoscalers.getIndexer().getByKey(key);
    if (hpa == null) {
      histories.remove(key);
      return;
    }
    // Autoscalers are level-triggered on a period: usage changes without any object changing.
    enqueueAfter(key, syncPeriod);
    if (hpa.getMetadata().getDeletionTimestamp() == null) {
      sync(key, hpa);
    }
  }

  private void sync(String key, HorizontalPodAutoscaler hpa) {
    Instant now = clock.instant();
    String ns = hpa.getMetadata().getNamespace();
    HorizontalPodAutoscalerStatus old =
        hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus() : hpa.getStatus();
    HpaConditions conditions =
        new HpaConditions(old.getConditions(), now.truncatedTo(ChronoUnit.SECONDS).toString());
    var ref = hpa.getSpec().getScaleTargetRef();
    Scale scale;
    try {
      scale = targets.get(ns, ref);
    } catch (RuntimeException e) {
      String message =
          "the HPA controller was unable to get the target's current scale: " + e.getMessage();
      conditions.set("AbleToScale", false, "FailedGetScale", message);
      events.warning(hpa, "FailedGetScale", e.getMessage());
      write(
          hpa,
          old,
          old.getCurrentReplicas(),
          old.getDesiredReplicas(),
          old.getCurrentMetrics(),
          conditions,
          null);
      return;
    }
    conditions.set(
        "AbleToScale",
        true,
        "SucceededGetScale",
        "the HPA controller was able to get the target's current scale");
    int current = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
    int min = hpa.getSpec().getMinReplicas() == null ? 1 : hpa.getSpec().getMinReplicas();
    int max = hpa.getSpec().getMaxReplicas();
    ScalingHistory history = histories.computeIfAbsent(key, k -> new ScalingHistory());
    List<MetricStatus> statuses = old.getCurrentMetrics();
    int desired;
    String reason = "";
    if (current == 0 && min != 0) {
      desired = 0;
      conditions.set(
          "ScalingActive",
          false,
          "ScalingDisabled",
          "scaling is disabled since the replica count of the target is zero");
    } else if (current > max) {
      desired = max;
      reason = "Current number of replicas above Spec.MaxReplicas";
    } else if (current < min) {
      desired = min;
      reason = "Current number of replicas below Spec.MinReplicas";
    } else {
      Computed computed = compute(hpa, scale, current, now, conditions);
      statuses = computed.statuses;
      if (computed.replicas < 0) {
        events.warning(hpa, "FailedComputeMetricsReplicas", computed.error);
        write(hpa, old, current, old.getDesiredReplicas(), statuses, conditions, null);
        return;
      }
      conditions.set(
          "ScalingActive",
          true,
          "ValidMetricFound",
          "the HPA was able to successfully calculate a replica count from " + computed.metric);
      if (computed.replicas > current) {
        reason = computed.metric + " above target";
      } else if (computed.replicas < current) {
        reason = "All metrics below target";
      }
      Normalized n =
          normalizer.normalize(
              hpa.getSpec().getBehavior(), history, now, current, computed.replicas, min, max);
      conditions.set("AbleToScale", true, n.ableReason(), n.ableMessage());
      conditions.set("ScalingLimited", n.limited(), n.limitReason(), n.limitMessage());
      desired = n.replicas();
    }
    boolean rescale = desired != current;
    if (rescale) {
      scale.getSpec().setReplicas(desired);
      try {
        targets.update(ns, ref, scale);
      } catch (KubernetesClientException e) {
        conditions.set(
            "AbleToScale",
            false,
            "FailedUpdateScale",
            "the HPA controller was unable to update the target scale: " + e.getMessage());
        events.warning(
            hpa,
            "FailedRescale",
            "New size: " + desired + "; reason: " + reason + "; error: " + e.getMessage());
        write(hpa, old, current, old.getDesiredReplicas(), statuses, conditions, null);
        return;
      }
      conditions.set(
          "AbleToScale",
          true,
          "SucceededRescale",
          "the HPA controller was able to update the target scale to " + desired);
      events.normal(hpa, "SuccessfulRescale", "New size: " + desired + "; reason: " + reason);
      history.scaled(
          now, current, desired, ScaleNormalizer.longestPeriod(hpa.getSpec().getBehavior()));
    } else {
      desired = current;
    }
    write(hpa, old, current, desired, statuses, conditions, rescale ? now : null);
  }

  private record Computed(int replicas, String metric, List<MetricStatus> statuses, String error) {}

  private Computed compute(
      HorizontalPodAutoscaler hpa,
      Scale scale,
      int current,
      Instant now,
      HpaConditions conditions) {
    String ns = hpa.getMetadata().getNamespace();
    String selector = scale.getStatus() == null ? null : scale.getStatus().getSelector();
    List<MetricSpec> specs = hpa.getSpec().getMetrics();
    List<MetricStatus> statuses = new ArrayList<>();
    if (selector == null || selector.isEmpty()) {
      conditions.set(
          "ScalingActive",
          false,
          "InvalidSelector",
          "the HPA target's scale is missing a selector");
      return new Computed(-1, "", statuses, "selector is required");
    }
    List<Pod> selected;
    try {
      LabelSelector labels = LabelSelector.parse(selector);
      selected =
          pods.getIndexer().byIndex("namespace", ns).stream()
              .filter(p -> labels.matches(p.getMetadata().getLabels()))
              .toList();
    } catch (SelectorParseException e) {
      conditions.set(
          "ScalingActive",
          false,
          "InvalidSelector",
          "the HPA target's scale has an invalid selector: " + e.getMessage());
      return new Computed(-1, "", statuses, e.getMessage());
    }
    ReplicaCalculator calculator = new ReplicaCalculator(ReplicaCalculator.DEFAULT_TOLERANCE, now);
    int replicas = 0;
    String metric = "";
    int invalid = 0;
    String firstError = null;
    for (MetricSpec spec : specs) {
      MetricStatus status = new MetricStatus();
      status.setType("");
      statuses.add(status);
      String error;
      if (!"Resource".equals(spec.getType()) || spec.getResource() == null) {
        error = "unsupported metric source type \"" + spec.getType() + "\"";
        conditions.set(
            "ScalingActive",
            false,
            "InvalidMetricSourceType",
            "the HPA was unable to compute the replica count: " + error);
      } else {
        String name = spec.getResource().getName();
        MetricTarget target = spec.getResource().getTarget();
        boolean utilization = "Utilization".equals(target.getType());
        try {
          Map<String, PodMetric> usage = metrics.podMetrics(ns, selector, name);
          ReplicaCalculator.Proposal p =
              utilization
                  ? calculator.utilization(
                      current, target.getAverageUtilization(), name, selected, usage)
                  : calculator.averageValue(
                      current, milli(target.getAverageValue()), name, selected, usage);
          MetricValueStatus value = new MetricValueStatus();
          value.setAverageValue(
              new io.fabric8.kubernetes.api.model.Quantity(
                  Quantity.of(BigDecimal.valueOf(p.averageMilli(), 3), Quantity.Format.DECIMAL_SI)
                      .toString()));
          value.setAverageUtilization(p.utilization());
          status.setType("Resource");
          status.setResource(new ResourceMetricStatus(value, name));
          if (p.replicas() > replicas) {
            replicas = p.replicas();
            metric =
                utilization
                    ? name + " resource utilization (percentage of request)"
                    : name + " resource";
          }
          continue;
        } catch (MetricsSource.MetricsUnavailable | ReplicaCalculator.Failed e) {
          error =
              (utilization
                      ? "failed to get " + name + " utilization: "
                      : "failed to get " + name + " usage: ")
                  + e.getMessage();
        }
        conditions.set(
            "ScalingActive",
            false,
            "FailedGetResourceMetric",
            "the HPA was unable to compute the replica count: " + error);
        events.warning(hpa, "FailedGetResourceMetric", error);
      }
      invalid++;
      if (firstError == null) {
        firstError = error;
      }
    }
    if (invalid >= specs.size() || (invalid > 0 && replicas < current)) {
      return new Computed(
          -1,
          metric,
          statuses,
          "invalid metrics ("
              + invalid
              + " invalid out of "
              + specs.size()
              + "), first error is: "
              + firstError);
    }
    return new Computed(replicas, metric, statuses, null);
  }

  private static long milli(io.fabric8.kubernetes.api.model.Quantity q) {
    return Quantity.parse(q.toString()).milliValue();
  }

  private void write(
      HorizontalPodAutoscaler hpa,
      HorizontalPodAutoscalerStatus old,
      Integer current,
      Integer desired,
      List<MetricStatus> metrics,
      HpaConditions conditions,
      Instant scaledAt) {
    HorizontalPodAutoscalerStatus status = new HorizontalPodAutoscalerStatus();
    status.setCurrentReplicas(current);
    status.setDesiredReplicas(desired == null ? 0 : desired);
    status.setCurrentMetrics(metrics);
    status.setConditions(conditions.list());
    status.setObservedGeneration(hpa.getMetadata().getGeneration());
    status.setLastScaleTime(
        scaledAt == null
            ? old.getLastScaleTime()
            : scaledAt.truncatedTo(ChronoUnit.SECONDS).toString());
    if (Objects.equals(status, old)) {
      return;
    }
    HorizontalPodAutoscaler updated =
        new HorizontalPodAutoscalerBuilder(hpa).withStatus(status).build();
    client
        .resources(HorizontalPodAutoscaler.class)
        .inNamespace(hpa.getMetadata().getNamespace())
        .resource(updated)
        .updateStatus();
  }
}
