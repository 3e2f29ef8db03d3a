package dev.skiff.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnExitCodesRequirement;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyOnPodConditionsPattern;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A Job's {@code podFailurePolicy} applied to one failed pod, as upstream matches it: the first
 * rule whose exit codes (of any container that exited non-zero) or pod conditions match decides; no
 * match counts the failure as usual.
 */
final class PodFailurePolicies {
  enum Action {
    FAIL_JOB,
    FAIL_INDEX,
    IGNORE,
    COUNT
  }

  /** What to do with the failure; {@code message} explains a FailJob, as upstream words it. */
  record Decision(Action action, String message) {}

  private static final Decision COUNT = new Decision(Action.COUNT, null);

  private PodFailurePolicies() {}

  static Decision decide(Job job, Pod pod) {
    var policy = job.getSpec().getPodFailurePolicy();
    if (policy == null) {
      return COUNT;
    }
    List<PodFailurePolicyRule> rules = policy.getRules();
    for (int index = 0; index < rules.size(); index++) {
      PodFailurePolicyRule rule = rules.get(index);
      String matched =
          rule.getOnExitCodes() != null
              ? exitCodeMatch(rule.getOnExitCodes(), pod)
              : conditionMatch(rule.getOnPodConditions(), pod);
      if (matched == null) {
        continue;
      }
      return switch (rule.getAction()) {
        case "Ignore" -> new Decision(Action.IGNORE, null);
        case "FailIndex" -> new Decision(Action.FAIL_INDEX, null);
        case "FailJob" ->
            new Decision(
                Action.FAIL_JOB,
                String.format("%s matching %s rule at index %d", matched, rule.getAction(), index));
        default -> COUNT;
      };
    }
    return COUNT;
  }

  /**
   * Applies the policy to a failed pod of {@code job}: a FailJob rule sets FailureTarget on {@code
   * status}, and with {@code backoffLimitPerIndex} a FailIndex rule or an index over its limit
   * joins {@code failedIndexes}. Returns false when the failure is to be ignored.
   */
  static boolean record(
      Job job, Pod pod, JobStatus status, Set<Integer> failedIndexes, String now) {
    Decision decision = decide(job, pod);
    if (decision.action() == Action.IGNORE) {
      return false;
    }
    Integer index =
        "Indexed".equals(job.getSpec().getCompletionMode()) ? JobPods.indexOf(pod) : null;
    Integer perIndex = job.getSpec().getBackoffLimitPerIndex();
    if (index != null
        && perIndex != null
        && (decision.action() == Action.FAIL_INDEX || JobPods.indexFailures(pod) > perIndex)) {
      failedIndexes.add(index);
    }
    if (decision.action() == Action.FAIL_JOB
        && !JobConditions.isTrue(status, JobConditions.FAILURE_TARGET)) {
      JobConditions.set(
          status,
          JobConditions.FAILURE_TARGET,
          "True",
          "PodFailurePolicy",
          decision.message(),
          now);
    }
    return true;
  }

  /** "Container c for pod ns/p failed with exit code N" if the requirement matches. */
  private static String exitCodeMatch(PodFailurePolicyOnExitCodesRequirement req, Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    List<ContainerStatus> statuses = new ArrayList<>(pod.getStatus().getInitContainerStatuses());
    statuses.addAll(pod.getStatus().getContainerStatuses());
    for (ContainerStatus status : statuses) {
      if (req.getContainerName() != null && !req.getContainerName().equals(status.getName())) {
        continue;
      }
      var terminated = status.getState() == null ? null : status.getState().getTerminated();
      if (terminated == null || terminated.getExitCode() == null || terminated.getExitCode() == 0) {
        continue;
      }
      boolean listed = req.getValues().contains(terminated.getExitCode());
      if ("In".equals(req.getOperator()) == listed) {
        return String.format(
            "Container %s for pod %s/%s failed with exit code %d",
            status.getName(),
            pod.getMetadata().getNamespace(),
            pod.getMetadata().getName(),
            terminated.getExitCode());
      }
    }
    return null;
  }

  /** "Pod ns/p has condition T" if one of the patterns matches. */
  private static String conditionMatch(
      List<PodFailurePolicyOnPodConditionsPattern> patterns, Pod pod) {
    if (pod.getStatus() == null) {
      return null;
    }
    for (PodFailurePolicyOnPodConditionsPattern pattern : patterns) {
      String status = pattern.getStatus() == null ? "True" : pattern.getStatus();
      for (PodCondition condition : pod.getStatus().getConditions()) {
        if (condition.getType().equals(pattern.getType()) && status.equals(condition.getStatus())) {
          return String.format(
              "Pod %s/%s has condition %s",
              pod.getMetadata().getNamespace(), pod.getMetadata().getName(), condition.getType());
        }
      }
    }
    return null;
  }
}
