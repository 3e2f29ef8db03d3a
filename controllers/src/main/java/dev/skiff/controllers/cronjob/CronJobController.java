package dev.skiff.controllers.cronjob;

import dev.skiff.api.cron.CronSchedule;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.EventRecorder;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.PodControl;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates Jobs on a cron schedule as upstream's CronJob controller (v2): one Job per scheduled
 * time, named {@code <cronjob>-<minutes since the epoch>}; {@code concurrencyPolicy}
 * Allow/Forbid/Replace; {@code startingDeadlineSeconds}; {@code suspend}; {@code timeZone};
 * finished Jobs beyond the success and failure history limits are deleted.
 */
public final class CronJobController extends QueueController {
  static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";

  /** Upstream gives up counting missed start times past this many. */
  static final int MAX_MISSED = 100;

  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<CronJob> cronJobs;
  private final SharedIndexInformer<Job> jobs;
  private final EventRecorder events;

  public CronJobController(ControllerContext context) {
    super("cronjob");
    this.client = context.client();
    this.clock = context.clock();
    this.cronJobs = context.informers().of(CronJob.class);
    this.jobs = context.informers().of(Job.class);
    this.events = context.events("cronjob-controller");
    cronJobs.addEventHandler(Handlers.any(this::enqueue));
    jobs.addEventHandler(
        Handlers.any(
            job ->
                OwnerReferences.controllerOf(job)
                    .filter(ref -> "CronJob".equals(ref.getKind()))
                    .ifPresent(
                        ref ->
                            enqueue(
                                Cache.namespaceKeyFunc(
                                    job.getMetadata().getNamespace(), ref.getName())))));
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  private static boolean succeeded(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  protected void reconcile(String key) {
    CronJob cached = cronJobs.getIndexer().getByKey(key);
    if (cached == null) {
      return;
    }
    CronJob cj = new CronJobBuilder(cached).build();
    CronJobStatus status =
        cj.getStatus() == null
            ? new CronJobStatus()
            : new CronJobStatusBuilder(cj.getStatus()).build();
    List<Job> owned = new ArrayList<>();
    for (Job job :
        jobs.getIndexer().byIndex(Cache.NAMESPACE_INDEX, cj.getMetadata().getNamespace())) {
      if (OwnerReferences.isControlledBy(job, cj)) {
        owned.add(job);
      }
    }
    List<ObjectReference> active = new ArrayList<>();
    for (Job job : owned) {
      if (!finished(job)) {
        active.add(reference(job));
      } else {
        boolean wasActive =
            status.getActive().stream()
                .anyMatch(r -> r.getUid().equals(job.getMetadata().getUid()));
        if (wasActive) {
          events.normal(
              cj,
              "SawCompletedJob",
              "Saw completed job: "
                  + job.getMetadata().getName()
                  + ", condition: "
                  + (succeeded(job) ? "Complete" : "Failed"));
        }
        if (succeeded(job)
            && job.getStatus().getCompletionTime() != null
            && (status.getLastSuccessfulTime() == null
                || job.getStatus().getCompletionTime().compareTo(status.getLastSuccessfulTime())
                    > 0)) {
          status.setLastSuccessfulTime(job.getStatus().getCompletionTime());
        }
      }
    }
    status.setActive(active);
    cleanupHistory(cj, owned);

    ZoneId zone =
        cj.getSpec().getTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(cj.getSpec().getTimeZone());
    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(cj.getSpec().getSchedule());
    } catch (IllegalArgumentException e) {
      events.warning(
          cj,
          "UnparseableSchedule",
          "unparseable schedule: \"" + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
      writeStatus(cj, status);
      return;
    }
    ZonedDateTime now = clock.instant().atZone(zone);
    if (!Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
      Optional<ZonedDateTime> scheduled = mostRecent(cj, schedule, status, now);
      if (scheduled.isPresent()) {
        start(cj, status, scheduled.get(), now);
      }
    }
    writeStatus(cj, status);
    schedule
        .next(now)
        .ifPresent(next -> enqueueAfter(key, Duration.between(now, next).plusMillis(100)));
  }

  /** The latest unstarted schedule time not after {@code now}, if any. */
  private Optional<ZonedDateTime> mostRecent(
      CronJob cj, CronSchedule schedule, CronJobStatus status, ZonedDateTime now) {
    String from =
        status.getLastScheduleTime() != null
            ? status.getLastScheduleTime()
            : cj.getMetadata().getCreationTimestamp();
    ZonedDateTime earliest = Instant.parse(from).atZone(now.getZone());
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (deadline != null && earliest.isBefore(now.minusSeconds(deadline))) {
      earliest = now.minusSeconds(deadline);
    }
    ZonedDateTime latest = null;
    int missed = 0;
    for (Optional<ZonedDateTime> t = schedule.next(earliest);
        t.isPresent() && !t.get().isAfter(now);
        t = schedule.next(t.get())) {
      latest = t.get();
      if (++missed > MAX_MISSED) {
        events.warning(
            cj,
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
        break;
      }
    }
    return Optional.ofNullable(latest);
  }

  private void start(CronJob cj, CronJobStatus status, ZonedDateTime scheduled, ZonedDateTime now) {
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
      events.warning(
          cj,
          "MissSchedule",
          "Missed scheduled time to start a job: "
              + scheduled.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
      return;
    }
    String policy =
        cj.getSpec().getConcurrencyPolicy() == null ? "Allow" : cj.getSpec().getConcurrencyPolicy();
    if ("Forbid".equals(policy) && !status.getActive().isEmpty()) {
      return;
    }
    if ("Replace".equals(policy)) {
      for (ObjectReference ref : new ArrayList<>(status.getActive())) {
        try {
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(ref.getNamespace())
              .withName(ref.getName())
              .withPropagationPolicy(DeletionPropagation.BACKGROUND)
              .delete();
          events.normal(cj, "SuccessfulDelete", "Deleted job " + ref.getName());
        } catch (KubernetesClientException e) {
          if (e.getCode() != 404) {
            throw e;
          }
        }
        status.getActive().remove(ref);
      }
    }
    Job job = jobFor(cj, scheduled);
    Job created;
    try {
      created =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(cj.getMetadata().getNamespace())
              .resource(job)
              .create();
      events.normal(cj, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        events.warning(cj, "FailedCreate", "Error creating job: " + PodControl.message(e));
        throw e;
      }
      // Created by an earlier sync whose write the cache had not shown yet.
      created =
          client
              .batch()
              .v1()
              .jobs()
              .inNamespace(cj.getMetadata().getNamespace())
              .withName(job.getMetadata().getName())
              .get();
      if (created == null || !OwnerReferences.isControlledBy(created, cj)) {
        return;
      }
    }
    ObjectReference ref = reference(created);
    if (status.getActive().stream().noneMatch(r -> r.getUid().equals(ref.getUid()))) {
      status.getActive().add(ref);
    }
    status.setLastScheduleTime(scheduled.toInstant().toString());
  }

  /** The Job for one scheduled time, as upstream names and annotates it. */
  static Job jobFor(CronJob cj, ZonedDateTime scheduled) {
    var template = cj.getSpec().getJobTemplate();
    JobBuilder job =
        new JobBuilder()
            .withNewMetadata()
            .withName(cj.getMetadata().getName() + "-" + scheduled.toEpochSecond() / 60)
            .withNamespace(cj.getMetadata().getNamespace())
            .withOwnerReferences(OwnerReferences.controllerRef(cj, "batch/v1", "CronJob"))
            .endMetadata()
            .withSpec(template.getSpec());
    if (template.getMetadata() != null) {
      job.editMetadata()
          .addToLabels(template.getMetadata().getLabels())
          .addToAnnotations(template.getMetadata().getAnnotations())
          .endMetadata();
    }
    return job.editMetadata()
        .addToAnnotations(
            SCHEDULED_TIMESTAMP, scheduled.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .endMetadata()
        .build();
  }

  private void cleanupHistory(CronJob cj, List<Job> owned) {
    int successLimit =
        cj.getSpec().getSuccessfulJobsHistoryLimit() == null
            ? 3
            : cj.getSpec().getSuccessfulJobsHistoryLimit();
    int failureLimit =
        cj.getSpec().getFailedJobsHistoryLimit() == null
            ? 1
            : cj.getSpec().getFailedJobsHistoryLimit();
    prune(cj, owned.stream().filter(j -> finished(j) && succeeded(j)).toList(), successLimit);
    prune(cj, owned.stream().filter(j -> finished(j) && !succeeded(j)).toList(), failureLimit);
  }

  private void prune(CronJob cj, List<Job> finishedJobs, int limit) {
    if (finishedJobs.size() <= limit) {
      return;
    }
    List<Job> oldestFirst = new ArrayList<>(finishedJobs);
    oldestFirst.sort(
        Comparator.comparing(
                (Job j) -> j.getStatus().getStartTime() == null ? "" : j.getStatus().getStartTime())
            .thenComparing(j -> j.getMetadata().getName()));
    for (Job job : oldestFirst.subList(0, finishedJobs.size() - limit)) {
      try {
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(job.getMetadata().getNamespace())
            .withName(job.getMetadata().getName())
            .withPropagationPolicy(DeletionPropagation.BACKGROUND)
            .delete();
        events.normal(cj, "SuccessfulDelete", "Deleted job " + job.getMetadata().getName());
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  private static ObjectReference reference(Job job) {
    return new ObjectReferenceBuilder()
        .withApiVersion("batch/v1")
        .withKind("Job")
        .withNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withResourceVersion(job.getMetadata().getResourceVersion())
        .build();
  }

  private void writeStatus(CronJob cj, CronJobStatus status) {
    CronJobStatus old = cj.getStatus() == null ? new CronJobStatus() : cj.getStatus();
    boolean sameActive =
        old.getActive().stream()
            .map(ObjectReference::getUid)
            .toList()
            .equals(status.getActive().stream().map(ObjectReference::getUid).toList());
    if (sameActive
        && Objects.equals(old.getLastScheduleTime(), status.getLastScheduleTime())
        && Objects.equals(old.getLastSuccessfulTime(), status.getLastSuccessfulTime())) {
      return;
    }
    CronJob copy = new CronJobBuilder(cj).withStatus(status).build();
    client
        .batch()
        .v1()
        .cronjobs()
        .inNamespace(cj.getMetadata().getNamespace())
        .resource(copy)
        .updateStatus();
  }
}
