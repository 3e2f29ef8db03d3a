package dev.skiff.controllers.job;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Expectations;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import dev.skiff.controllers.framework.SlowStart;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs Jobs to completion as upstream's job controller: keeps {@code parallelism} pods running
 * until {@code completions} succeed (each index once for Indexed Jobs), retries failed pods with
 * exponential back-off up to {@code backoffLimit}, enforces {@code activeDeadlineSeconds}, honours
 * {@code suspend}, and counts every pod exactly once through the {@code
 * batch.kubernetes.io/job-tracking} finalizer and {@code uncountedTerminatedPods}.
 */
public final class JobController extends QueueController {
  static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
  static final String INDEX_KEY = "batch.kubernetes.io/job-completion-index";
  static final Duration BACKOFF_BASE = Duration.ofSeconds(10);
  static final Duration BACKOFF_MAX = Duration.ofMinutes(6);

  private final KubernetesClient client;
  private final ControllerContext context;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final Expectations expectations = new Expectations();
  private final EventRecorder events;
  private final PodControl podControl;
  private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();

  public JobController(ControllerContext context) {
    super("job");
    this.context = context;
    this.client = context.client();
    this.jobs = context.informers().of(Job.class);
    this.pods = context.informers().of(Pod.class);
    this.events = context.events("job-controller");
    this.podControl = new PodControl(client, events);
    jobs.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.of(
            p -> podChanged(p, true), (o, p) -> podChanged(p, false), p -> podChanged(p, false)));
  }

  private void podChanged(Pod pod, boolean added) {
    var ref = OwnerReferences.controllerOf(pod);
    if (ref.isEmpty() || !"Job".equals(ref.get().getKind())) {
      return;
    }
    String key = Cache.namespaceKeyFunc(pod.getMetadata().getNamespace(), ref.get().getName());
    if (added) {
      expectations.creationObserved(key);
    }
    enqueue(key);
  }

  private String now() {
    return context.clock().instant().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  @Override
  protected void reconcile(String key) throws Exception {
    Job cached = jobs.getIndexer().getByKey(key);
    if (cached == null) {
      expectations.forget(key);
      lastFailure.remove(key);
      return;
    }
    Job job = new JobBuilder(cached).build();
    List<Pod> owned = new ArrayList<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, job.getMetadata().getNamespace())) {
      if (OwnerReferences.isControlledBy(pod, job)) {
        owned.add(pod);
      }
    }
    JobStatus status =
        job.getStatus() == null ? new JobStatus() : new JobStatusBuilder(job.getStatus()).build();
    status.setConditions(new ArrayList<>(status.getConditions()));
    trackTerminated(key, job, owned, status);
    if (JobConditions.finished(status)) {
      writeStatus(job, status);
      return;
    }
    if (!expectations.satisfied(key)) {
      writeStatus(job, status);
      return;
    }
    List<Pod> active = owned.stream().filter(Pods::isActive).toList();
    int succeeded =
        zero(status.getSucceeded()) + status.getUncountedTerminatedPods().getSucceeded().size();
    int failed = zero(status.getFailed()) + status.getUncountedTerminatedPods().getFailed().size();
    int backoffLimit =
        job.getSpec().getBackoffLimit() == null ? 6 : job.getSpec().getBackoffLimit();
    Long deadline = job.getSpec().getActiveDeadlineSeconds();
    String now = now();

    JobOutcome outcome = JobOutcome.of(job, status);
    if (outcome != null && outcome.failed()) {
      fail(job, status, active, outcome.reason(), outcome.message(), now);
    } else if (failed > backoffLimit) {
      fail(
          job,
          status,
          active,
          "BackoffLimitExceeded",
          "Job has reached the specified backoff limit",
          now);
    } else if (deadline != null
        && status.getStartTime() != null
        && Instant.parse(status.getStartTime())
            .plusSeconds(deadline)
            .isBefore(context.clock().instant())) {
      fail(
          job,
          status,
          active,
          "DeadlineExceeded",
          "Job was active longer than specified deadline",
          now);
    } else if (outcome != null
        || JobOutcome.completionsReached(job, status, succeeded, active.size())) {
      String reason = outcome != null ? outcome.reason() : "CompletionsReached";
      String message =
          outcome != null ? outcome.message() : "Reached expected number of succeeded pods";
      deleteAll(job, active);
      status.setActive(0);
      status.setCompletionTime(now);
      JobConditions.set(status, JobConditions.SUCCESS_CRITERIA_MET, "True", reason, message, now);
      JobConditions.set(status, JobConditions.COMPLETE, "True", reason, message, now);
      events.normal(job, "Completed", "Job completed");
    } else if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
      deleteAll(job, active);
      status.setActive(0);
      if (!JobConditions.isTrue(status, JobConditions.SUSPENDED)) {
        JobConditions.set(
            status, JobConditions.SUSPENDED, "True", "JobSuspended", "Job suspended", now);
        events.normal(job, "Suspended", "Job suspended");
      }
    } else {
      if (JobConditions.isTrue(status, JobConditions.SUSPENDED)) {
        JobConditions.set(
            status, JobConditions.SUSPENDED, "False", "JobResumed", "Job resumed", now);
        events.normal(job, "Resumed", "Job resumed");
        status.setStartTime(now);
      }
      if (status.getStartTime() == null) {
        status.setStartTime(now);
      }
      if (deadline != null) {
        enqueueAfter(
            key,
            Duration.between(
                    context.clock().instant(),
                    Instant.parse(status.getStartTime()).plusSeconds(deadline))
                .plusSeconds(1));
      }
      manageActive(key, job, status, active, succeeded);
    }
    status.setActive((int) owned.stream().filter(Pods::isActive).count());
    status.setReady((int) owned.stream().filter(p -> Pods.isActive(p) && Pods.isReady(p)).count());
    status.setTerminating(
        (int)
            owned.stream()
                .filter(
                    p -> p.getMetadata().getDeletionTimestamp() != null && !Pods.isTerminated(p))
                .count());
    if (JobConditions.finished(status)) {
      status.setActive(0);
    }
    writeStatus(job, status);
  }

  /**
   * Counts terminated pods exactly once: their UIDs go into {@code uncountedTerminatedPods}
   * (persisted), then their tracking finalizers are removed, then they move into the counters.
   */
  private void trackTerminated(String key, Job job, List<Pod> owned, JobStatus status) {
    UncountedTerminatedPods uncounted =
        status.getUncountedTerminatedPods() == null
            ? new UncountedTerminatedPods()
            : status.getUncountedTerminatedPods();
    uncounted.setSucceeded(new ArrayList<>(uncounted.getSucceeded()));
    uncounted.setFailed(new ArrayList<>(uncounted.getFailed()));
    status.setUncountedTerminatedPods(uncounted);
    boolean indexed = "Indexed".equals(job.getSpec().getCompletionMode());
    TreeSet<Integer> completed = CompletedIndexes.parse(status.getCompletedIndexes());
    TreeSet<Integer> failedIndexes = CompletedIndexes.parse(status.getFailedIndexes());
    boolean added = false;
    for (Pod pod : owned) {
      String uid = pod.getMetadata().getUid();
      boolean tracked = pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
      boolean gone = Pods.isTerminated(pod) || pod.getMetadata().getDeletionTimestamp() != null;
      if (!tracked
          || !gone
          || uncounted.getSucceeded().contains(uid)
          || uncounted.getFailed().contains(uid)) {
        continue;
      }
      if ("Succeeded".equals(Pods.phase(pod))) {
        uncounted.getSucceeded().add(uid);
        if (indexed) {
          Integer index = JobPods.indexOf(pod);
          if (index != null) {
            completed.add(index);
          }
        }
      } else {
        if (!PodFailurePolicies.record(job, pod, status, failedIndexes, now())) {
          // Ignored: not a failure at all, it only gives up its finalizer.
          JobPods.removeFinalizer(client, pod);
          continue;
        }
        uncounted.getFailed().add(uid);
        lastFailure.put(key, context.clock().instant());
      }
      added = true;
    }
    if (indexed) {
      status.setCompletedIndexes(CompletedIndexes.format(completed));
      if (job.getSpec().getBackoffLimitPerIndex() != null) {
        status.setFailedIndexes(CompletedIndexes.format(failedIndexes));
      }
    }
    if (added) {
      writeStatus(job, status);
    }
    for (Pod pod : owned) {
      String uid = pod.getMetadata().getUid();
      if ((uncounted.getSucceeded().contains(uid) || uncounted.getFailed().contains(uid))
          && pod.getMetadata().getFinalizers().contains(TRACKING_FINALIZER)) {
        JobPods.removeFinalizer(client, pod);
      }
    }
    // Every uncounted pod has lost its finalizer now (or was gone): count it.
    int newlySucceeded = uncounted.getSucceeded().size();
    int newlyFailed = uncounted.getFailed().size();
    uncounted.getSucceeded().clear();
    uncounted.getFailed().clear();
    status.setSucceeded(zero(status.getSucceeded()) + newlySucceeded);
    status.setFailed(zero(status.getFailed()) + newlyFailed);
    boolean moved = newlySucceeded + newlyFailed > 0;
    if (moved) {
      writeStatus(job, status);
    }
  }

  private void fail(
      Job job, JobStatus status, List<Pod> active, String reason, String message, String now) {
    deleteAll(job, active);
    status.setActive(0);
    JobConditions.set(status, JobConditions.FAILURE_TARGET, "True", reason, message, now);
    JobConditions.set(status, JobConditions.FAILED, "True", reason, message, now);
    events.warning(job, reason, message);
  }

  private void manageActive(String key, Job job, JobStatus status, List<Pod> active, int succeeded)
      throws Exception {
    int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
    Integer completions = job.getSpec().getCompletions();
    boolean indexed = "Indexed".equals(job.getSpec().getCompletionMode());
    List<Integer> missing = new ArrayList<>();
    int wanted;
    if (indexed && completions != null) {
      TreeSet<Integer> done = CompletedIndexes.parse(status.getCompletedIndexes());
      done.addAll(CompletedIndexes.parse(status.getFailedIndexes()));
      List<Integer> running =
          active.stream().map(JobPods::indexOf).filter(Objects::nonNull).toList();
      for (int i = 0; i < completions && missing.size() < parallelism; i++) {
        if (!done.contains(i) && !running.contains(i)) {
          missing.add(i);
        }
      }
      wanted = Math.min(parallelism, active.size() + missing.size());
    } else if (completions == null) {
      wanted = succeeded > 0 ? 0 : parallelism;
    } else {
      wanted = Math.min(parallelism, Math.max(0, completions - succeeded));
    }
    if (active.size() > wanted) {
      List<Pod> extra = new ArrayList<>(active);
      extra.sort((a, b) -> Pods.created(b).compareTo(Pods.created(a)));
      deleteAll(job, extra.subList(0, active.size() - wanted));
      return;
    }
    int toCreate = wanted - active.size();
    if (toCreate <= 0) {
      return;
    }
    Duration wait =
        backoffRemaining(
            key, zero(status.getFailed()) + status.getUncountedTerminatedPods().getFailed().size());
    if (!wait.isZero()) {
      enqueueAfter(key, wait);
      return;
    }
    Map<Integer, Integer> failureCounts =
        JobPods.failuresByIndex(
            job,
            pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, job.getMetadata().getNamespace()));
    expectations.expect(key, toCreate, 0);
    var ref = OwnerReferences.controllerRef(job, "batch/v1", "Job");
    List<Integer> indexes = new ArrayList<>(missing);
    SlowStart.Result result =
        SlowStart.run(
            toCreate,
            1,
            () -> {
              Integer index;
              synchronized (indexes) {
                index = indexes.isEmpty() ? null : indexes.removeFirst();
              }
              podControl.create(
                  job,
                  job.getSpec().getTemplate(),
                  ref,
                  pod -> JobPods.customize(job, pod, index, failureCounts.get(index)));
            });
    if (toCreate > result.successes()) {
      expectations.creationObserved(key, toCreate - result.successes());
    }
    if (result.firstError() != null) {
      throw result.firstError();
    }
  }

  private Duration backoffRemaining(String key, int failures) {
    Instant last = lastFailure.get(key);
    if (failures == 0 || last == null) {
      return Duration.ZERO;
    }
    Duration backoff = BACKOFF_BASE.multipliedBy(1L << Math.min(failures - 1, 10));
    if (backoff.compareTo(BACKOFF_MAX) > 0) {
      backoff = BACKOFF_MAX;
    }
    Duration left = Duration.between(context.clock().instant(), last.plus(backoff));
    return left.isNegative() ? Duration.ZERO : left;
  }

  private void deleteAll(Job job, List<Pod> victims) {
    for (Pod pod : victims) {
      podControl.delete(job, pod);
    }
  }

  private void writeStatus(Job job, JobStatus status) {
    if (Objects.equals(job.getStatus(), status)) {
      return;
    }
    Job copy = new JobBuilder(job).withStatus(new JobStatusBuilder(status).build()).build();
    Job written =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .resource(copy)
            .updateStatus();
    job.setMetadata(written.getMetadata());
    job.setStatus(new JobStatusBuilder(status).build());
  }

  private static int zero(Integer value) {
    return value == null ? 0 : value;
  }
}
