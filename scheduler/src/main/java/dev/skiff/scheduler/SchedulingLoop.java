package dev.skiff.scheduler;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.cache.PodInfo;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.cache.Snapshot;
import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Diagnosis;
import dev.skiff.scheduler.framework.ExtensionPoint;
import dev.skiff.scheduler.framework.FitError;
import dev.skiff.scheduler.framework.Framework;
import dev.skiff.scheduler.framework.Nominator;
import dev.skiff.scheduler.framework.PermitPlugin;
import dev.skiff.scheduler.framework.Plugin;
import dev.skiff.scheduler.framework.SchedulerClient;
import dev.skiff.scheduler.framework.Status;
import dev.skiff.scheduler.queue.QueuedPodInfo;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pod at a time, upstream's scheduleOne: filter, preempt if nothing fits, score, pick a host,
 * assume it in the cache, reserve and permit; then bind on another thread while the next pod is
 * scheduled. Failures set {@code PodScheduled=False} and emit a FailedScheduling event.
 */
public final class SchedulingLoop {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulingLoop.class);
  static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

  private final SchedulerCache cache;
  private final SchedulingQueue queue;
  private final Map<String, Framework> profiles;
  private final int percentageOfNodesToScore;
  private final SchedulerClient client;
  private final Nominator nominator;
  private final Executor binder;
  private final SchedulerMetrics metrics;
  private final Snapshot snapshot = new Snapshot();
  private int nextStartNodeIndex;

  /** The node picked for a pod, with how many nodes were looked at and how many fit. */
  public record ScheduleResult(String host, int evaluatedNodes, int feasibleNodes) {}

  public SchedulingLoop(
      SchedulerCache cache,
      SchedulingQueue queue,
      Map<String, Framework> profiles,
      int percentageOfNodesToScore,
      SchedulerClient client,
      Nominator nominator,
      Executor binder,
      SchedulerMetrics metrics) {
    this.cache = cache;
    this.queue = queue;
    this.profiles = Map.copyOf(profiles);
    this.percentageOfNodesToScore = percentageOfNodesToScore;
    this.client = client;
    this.nominator = nominator;
    this.binder = binder;
    this.metrics = metrics;
  }

  /**
   * Schedules the next active pod, waiting up to {@code wait} for one.
   *
   * @return false when no pod came
   */
  public boolean scheduleNext(Duration wait) throws InterruptedException {
    QueuedPodInfo q = queue.poll(wait);
    if (q == null) {
      return false;
    }
    scheduleOne(q);
    return true;
  }

  void scheduleOne(QueuedPodInfo q) {
    Pod pod = q.pod();
    Framework fw = profiles.get(schedulerNameOf(pod));
    if (fw == null || pod.getMetadata().getDeletionTimestamp() != null || cache.isAssumed(pod)) {
      queue.done(pod);
      return;
    }
    long start = System.nanoTime();
    long podCycle = queue.schedulingCycle();
    CycleState state = new CycleState();
    state.setPodInfo(q.podInfo());
    cache.updateSnapshot(snapshot);
    fw.setSnapshot(snapshot);
    ScheduleResult result;
    try {
      result = schedulePod(fw, state, pod);
    } catch (FitError fit) {
      String nominated = null;
      if (!fw.pluginsAt(ExtensionPoint.POST_FILTER).isEmpty()) {
        var r = fw.runPostFilterPlugins(state, pod, fit.diagnosis().nodeToStatus());
        if (r.status().code() == Status.Code.ERROR) {
          LOG.warn("PostFilter for pod {} failed: {}", PodInfo.keyOf(pod), r.status().message());
        } else if (!r.status().isSuccess()) {
          fit.diagnosis().setPostFilterMessage(r.status().message());
        }
        nominated = r.nominatedNodeName();
      }
      metrics.attempt("unschedulable", fw.schedulerName(), System.nanoTime() - start);
      handleFailure(
          q, podCycle, fit.getMessage(), fit.diagnosis().unschedulablePlugins(), false, nominated);
      return;
    } catch (RuntimeException e) {
      LOG.warn("error scheduling pod {}", PodInfo.keyOf(pod), e);
      metrics.attempt("error", fw.schedulerName(), System.nanoTime() - start);
      handleFailure(q, podCycle, String.valueOf(e.getMessage()), Set.of(), true, null);
      return;
    }
    assumeAndBind(fw, state, q, result.host(), podCycle, start);
  }

  private static String schedulerNameOf(Pod pod) {
    String name = pod.getSpec().getSchedulerName();
    return name == null || name.isEmpty() ? "default-scheduler" : name;
  }

  private void assumeAndBind(
      Framework fw, CycleState state, QueuedPodInfo q, String host, long podCycle, long start) {
    Pod pod = q.pod();
    PodInfo assumedInfo = q.podInfo().assumedOn(host);
    Pod assumed = assumedInfo.pod();
    cache.assumePod(assumedInfo, host);
    Status reserve = fw.runReservePlugins(state, assumed, host);
    if (!reserve.isSuccess()) {
      fw.runUnreservePlugins(state, assumed, host);
      cache.forgetPod(assumed);
      failAfterAssume(fw, q, podCycle, reserve, start);
      return;
    }
    var permit = fw.runPermitPlugins(state, assumed, host);
    if (!permit.status().isSuccess() && permit.status().code() != Status.Code.WAIT) {
      fw.runUnreservePlugins(state, assumed, host);
      cache.forgetPod(assumed);
      failAfterAssume(fw, q, podCycle, permit.status(), start);
      return;
    }
    nominator.deleteNominatedPod(pod);
    metrics.attempt("scheduled", fw.schedulerName(), System.nanoTime() - start);
    binder.execute(() -> bindingCycle(fw, state, q, assumed, host, permit, podCycle));
  }

  private void bindingCycle(
      Framework fw,
      CycleState state,
      QueuedPodInfo q,
      Pod assumed,
      String host,
      PermitPlugin.Decision permit,
      long podCycle) {
    Status s = Status.SUCCESS;
    if (permit.status().code() == Status.Code.WAIT) {
      String plugins =
          fw.pluginsAt(ExtensionPoint.PERMIT).stream()
              .map(Plugin::name)
              .collect(Collectors.joining(","));
      s =
          fw.waitingPods()
              .register(assumed.getMetadata().getUid(), permit.timeout(), plugins)
              .join();
    }
    if (s.isSuccess()) {
      s = fw.runPreBindPlugins(state, assumed, host);
    }
    if (s.isSuccess()) {
      s = fw.runBindPlugins(state, assumed, host);
    }
    if (!s.isSuccess()) {
      fw.runUnreservePlugins(state, assumed, host);
      cache.forgetPod(assumed);
      queue.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
      failAfterAssume(fw, q, podCycle, s, System.nanoTime());
      return;
    }
    queue.done(assumed);
    String msg = "Successfully assigned " + PodInfo.keyOf(assumed) + " to " + host;
    try {
      client.recordEvent(assumed, "Normal", "Scheduled", "Binding", msg);
    } catch (RuntimeException e) {
      LOG.debug("could not record Scheduled event for {}", PodInfo.keyOf(assumed), e);
    }
  }

  private void failAfterAssume(Framework fw, QueuedPodInfo q, long podCycle, Status s, long start) {
    boolean error = !s.isRejected();
    Set<String> plugins = error || s.plugin().isEmpty() ? Set.of() : Set.of(s.plugin());
    metrics.attempt(
        error ? "error" : "unschedulable", fw.schedulerName(), System.nanoTime() - start);
    handleFailure(q, podCycle, s.message(), plugins, error, null);
  }

  private void handleFailure(
      QueuedPodInfo q,
      long podCycle,
      String message,
      Set<String> unschedulablePlugins,
      boolean error,
      String nominatedNode) {
    Pod pod = q.pod();
    q.setUnschedulablePlugins(unschedulablePlugins);
    queue.addUnschedulable(q, podCycle, error);
    if (nominatedNode != null && !nominatedNode.isEmpty()) {
      nominator.addNominatedPod(q.podInfo(), nominatedNode);
    }
    String reason = error ? "SchedulerError" : "Unschedulable";
    PodCondition condition =
        new PodConditionBuilder()
            .withType("PodScheduled")
            .withStatus("False")
            .withReason(reason)
            .withMessage(message)
            .withLastTransitionTime(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
            .build();
    try {
      client.recordEvent(pod, "Warning", "FailedScheduling", "Scheduling", message);
      if (conditionChanged(pod, condition) || nominatedNode != null) {
        client.updatePodStatus(pod, condition, nominatedNode);
      }
    } catch (RuntimeException e) {
      LOG.warn("could not report scheduling failure of {}: {}", PodInfo.keyOf(pod), e.getMessage());
    }
  }

  private static boolean conditionChanged(Pod pod, PodCondition c) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return true;
    }
    for (PodCondition old : pod.getStatus().getConditions()) {
      if ("PodScheduled".equals(old.getType())) {
        return !(c.getStatus().equals(old.getStatus())
            && c.getReason().equals(old.getReason())
            && c.getMessage().equals(old.getMessage()));
      }
    }
    return true;
  }

  /**
   * Finds feasible nodes and picks the best-scoring one.
   *
   * @throws FitError when no node fits
   */
  public ScheduleResult schedulePod(Framework fw, CycleState state, Pod pod) throws FitError {
    List<NodeInfo> all = snapshot.list();
    if (all.isEmpty()) {
      throw new FitError(pod, 0, new Diagnosis());
    }
    Diagnosis diagnosis = new Diagnosis();
    List<NodeInfo> feasible = findNodesThatFit(fw, state, pod, diagnosis);
    if (feasible.isEmpty()) {
      throw new FitError(pod, all.size(), diagnosis);
    }
    int evaluated = feasible.size() + diagnosis.nodeToStatus().size();
    if (feasible.size() == 1) {
      return new ScheduleResult(feasible.getFirst().name(), evaluated, 1);
    }
    Status pre = fw.runPreScorePlugins(state, pod, feasible);
    if (!pre.isSuccess()) {
      throw new IllegalStateException(
          "running PreScore plugin \"" + pre.plugin() + "\": " + pre.message());
    }
    long[] scores = fw.runScorePlugins(state, pod, feasible);
    return new ScheduleResult(selectHost(feasible, scores), evaluated, feasible.size());
  }

  private List<NodeInfo> findNodesThatFit(
      Framework fw, CycleState state, Pod pod, Diagnosis diagnosis) throws FitError {
    List<NodeInfo> all = snapshot.list();
    Status pre = fw.runPreFilterPlugins(state, pod);
    if (!pre.isSuccess()) {
      if (!pre.isRejected()) {
        throw new IllegalStateException(
            "running PreFilter plugin \"" + pre.plugin() + "\": " + pre.message());
      }
      for (NodeInfo n : all) {
        diagnosis.setNodeStatus(n.name(), pre);
      }
      diagnosis.setPreFilterMessage(pre.message());
      throw new FitError(pod, all.size(), diagnosis);
    }
    String nominated = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    if (nominated != null && !nominated.isEmpty()) {
      NodeInfo n = snapshot.get(nominated);
      if (n != null && fw.runFilterPluginsWithNominatedPods(state, pod, n).isSuccess()) {
        return List.of(n);
      }
    }
    int pct =
        fw.percentageOfNodesToScore() != null
            ? fw.percentageOfNodesToScore()
            : percentageOfNodesToScore;
    int toFind = numFeasibleNodesToFind(pct, all.size());
    List<NodeInfo> feasible = new ArrayList<>(Math.min(toFind, all.size()));
    int n = all.size();
    int processed = 0;
    for (; processed < n && feasible.size() < toFind; processed++) {
      NodeInfo node = all.get((nextStartNodeIndex + processed) % n);
      Status s = fw.runFilterPluginsWithNominatedPods(state, pod, node);
      if (s.isSuccess()) {
        feasible.add(node);
      } else if (s.isRejected()) {
        diagnosis.setNodeStatus(node.name(), s);
      } else {
        throw new IllegalStateException(
            "running \"" + s.plugin() + "\" filter plugin: " + s.message());
      }
    }
    nextStartNodeIndex = (nextStartNodeIndex + processed) % n;
    return feasible;
  }

  /**
   * How many feasible nodes to look for before scoring, upstream's adaptive rule: all of a small
   * cluster, else 50% minus 1% per 125 nodes, never under 5% or 100 nodes.
   */
  static int numFeasibleNodesToFind(int percentageOfNodesToScore, int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentageOfNodesToScore >= 100) {
      return numAllNodes;
    }
    int adaptive = percentageOfNodesToScore;
    if (adaptive <= 0) {
      adaptive = 50 - numAllNodes / 125;
      if (adaptive < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
        adaptive = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
      }
    }
    int num = (int) ((long) numAllNodes * adaptive / 100);
    return Math.max(num, MIN_FEASIBLE_NODES_TO_FIND);
  }

  // The highest score wins; ties are broken uniformly at random (reservoir sampling).
  private static String selectHost(List<NodeInfo> nodes, long[] scores) {
    int best = 0;
    int ties = 1;
    for (int i = 1; i < scores.length; i++) {
      if (scores[i] > scores[best]) {
        best = i;
        ties = 1;
      } else if (scores[i] == scores[best]) {
        ties++;
        if (ThreadLocalRandom.current().nextInt(ties) == 0) {
          best = i;
        }
      }
    }
    return nodes.get(best).name();
  }
}
