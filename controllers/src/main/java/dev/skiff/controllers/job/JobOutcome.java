package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.List;
import java.util.TreeSet;

/**
 * How a Job ends when something other than its completion count decides, with upstream's reasons: a
 * {@code podFailurePolicy} FailJob rule already recorded as FailureTarget, too many failed indexes
 * ({@code maxFailedIndexes}), every index finished with some failed ({@code backoffLimitPerIndex}),
 * or a {@code successPolicy} rule met.
 */
record JobOutcome(boolean failed, String reason, String message) {

  /** The outcome for {@code status} now, or null while the Job goes on. */
  static JobOutcome of(Job job, JobStatus status) {
    var target = JobConditions.get(status, JobConditions.FAILURE_TARGET);
    if (target.isPresent() && "True".equals(target.get().getStatus())) {
      return new JobOutcome(true, target.get().getReason(), target.get().getMessage());
    }
    var spec = job.getSpec();
    boolean indexed = "Indexed".equals(spec.getCompletionMode());
    if (!indexed || spec.getCompletions() == null) {
      return null;
    }
    TreeSet<Integer> succeeded = CompletedIndexes.parse(status.getCompletedIndexes());
    TreeSet<Integer> failed = CompletedIndexes.parse(status.getFailedIndexes());
    if (spec.getMaxFailedIndexes() != null && failed.size() > spec.getMaxFailedIndexes()) {
      return new JobOutcome(
          true,
          "MaxFailedIndexesExceeded",
          "Job has exceeded the specified maximal number of failed indexes");
    }
    if (!failed.isEmpty() && succeeded.size() + failed.size() >= spec.getCompletions()) {
      return new JobOutcome(true, "FailedIndexes", "Job has failed indexes");
    }
    if (spec.getSuccessPolicy() == null) {
      return null;
    }
    List<SuccessPolicyRule> rules = spec.getSuccessPolicy().getRules();
    for (int i = 0; i < rules.size(); i++) {
      if (met(rules.get(i), succeeded)) {
        return new JobOutcome(false, "SuccessPolicy", "Matched rules at index " + i);
      }
    }
    return null;
  }

  /**
   * A rule is met when its indexes all succeeded, or when at least {@code succeededCount} of them
   * (of all indexes, without a list) did.
   */
  private static boolean met(SuccessPolicyRule rule, TreeSet<Integer> succeeded) {
    if (rule.getSucceededIndexes() == null) {
      return rule.getSucceededCount() != null && succeeded.size() >= rule.getSucceededCount();
    }
    TreeSet<Integer> wanted = CompletedIndexes.parse(rule.getSucceededIndexes());
    long done = wanted.stream().filter(succeeded::contains).count();
    return rule.getSucceededCount() == null
        ? done == wanted.size()
        : done >= rule.getSucceededCount();
  }

  /** Whether the Job has its completions: every index once, or enough successes. */
  static boolean completionsReached(Job job, JobStatus status, int succeeded, int active) {
    Integer completions = job.getSpec().getCompletions();
    if ("Indexed".equals(job.getSpec().getCompletionMode()) && completions != null) {
      return CompletedIndexes.parse(status.getCompletedIndexes()).size() >= completions;
    }
    if (completions == null) {
      return succeeded > 0 && active == 0;
    }
    return succeeded >= completions;
  }
}
