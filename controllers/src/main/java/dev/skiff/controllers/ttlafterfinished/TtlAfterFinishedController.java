package dev.skiff.controllers.ttlafterfinished;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Deletes finished Jobs (Complete or Failed) once {@code spec.ttlSecondsAfterFinished} has passed
 * since they finished, in the foreground so their pods go first. The Job is read afresh before
 * deletion, so a TTL lengthened meanwhile is honoured.
 */
public final class TtlAfterFinishedController extends QueueController {
  private final KubernetesClient client;
  private final Clock clock;
  private final SharedIndexInformer<Job> jobs;

  public TtlAfterFinishedController(ControllerContext context) {
    super("ttl-after-finished");
    this.client = context.client();
    this.clock = context.clock();
    this.jobs = context.informers().of(Job.class);
    jobs.addEventHandler(Handlers.of(this::jobChanged, (o, n) -> jobChanged(n), j -> {}));
  }

  private void jobChanged(Job job) {
    if (job.getMetadata().getDeletionTimestamp() == null
        && job.getSpec().getTtlSecondsAfterFinished() != null
        && finishedAt(job).isPresent()) {
      enqueue(job);
    }
  }

  /** When the job got its Complete or Failed condition, if it has finished. */
  static Optional<Instant> finishedAt(Job job) {
    if (job.getStatus() == null) {
      return Optional.empty();
    }
    for (JobCondition c : job.getStatus().getConditions()) {
      if (("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
          && "True".equals(c.getStatus())) {
        if (c.getLastTransitionTime() != null) {
          return Optional.of(Instant.parse(c.getLastTransitionTime()));
        }
        if (job.getStatus().getCompletionTime() != null) {
          return Optional.of(Instant.parse(job.getStatus().getCompletionTime()));
        }
        return Optional.of(Instant.EPOCH);
      }
    }
    return Optional.empty();
  }

  /** How long until the job expires; zero or negative once it has. */
  private Optional<Duration> remaining(Job job) {
    Integer ttl = job.getSpec().getTtlSecondsAfterFinished();
    if (ttl == null || job.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    return finishedAt(job)
        .map(finished -> Duration.between(clock.instant(), finished.plusSeconds(ttl)));
  }

  @Override
  protected void reconcile(String key) {
    Job cached = jobs.getIndexer().getByKey(key);
    if (cached == null) {
      return;
    }
    Optional<Duration> left = remaining(cached);
    if (left.isEmpty()) {
      return;
    }
    if (left.get().isPositive()) {
      enqueueAfter(key, left.get().plusMillis(100));
      return;
    }
    String namespace = cached.getMetadata().getNamespace();
    String name = cached.getMetadata().getName();
    Job fresh = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    if (fresh == null) {
      return;
    }
    left = remaining(fresh);
    if (left.isEmpty()) {
      return;
    }
    if (left.get().isPositive()) {
      enqueueAfter(key, left.get().plusMillis(100));
      return;
    }
    try {
      // Deleting the object we checked, not a namesake created since.
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(namespace)
          .resource(fresh)
          .withPropagationPolicy(DeletionPropagation.FOREGROUND)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
  }
}
