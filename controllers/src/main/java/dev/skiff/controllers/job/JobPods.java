package dev.skiff.controllers.job;

import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.framework.Pods;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Job's pods: what the controller adds to the template, and what it reads back. */
final class JobPods {
  static final String FAILURE_COUNT_KEY = "batch.kubernetes.io/job-index-failure-count";

  private JobPods() {}

  /**
   * Makes a template's pod one of {@code job}'s: tracking finalizer, job labels and, for Indexed
   * Jobs, the index (annotation, label, hostname, {@code JOB_COMPLETION_INDEX}) and how often the
   * index failed before.
   */
  static Pod customize(Job job, Pod pod, Integer index, Integer failuresBefore) {
    var meta = pod.getMetadata();
    meta.getFinalizers().add(JobController.TRACKING_FINALIZER);
    String name = job.getMetadata().getName();
    String uid = job.getMetadata().getUid();
    meta.getLabels().putIfAbsent("batch.kubernetes.io/controller-uid", uid);
    meta.getLabels().putIfAbsent("controller-uid", uid);
    meta.getLabels().putIfAbsent("batch.kubernetes.io/job-name", name);
    meta.getLabels().putIfAbsent("job-name", name);
    if (index != null) {
      meta.getAnnotations().put(JobController.INDEX_KEY, index.toString());
      meta.getLabels().put(JobController.INDEX_KEY, index.toString());
      meta.setGenerateName(name + "-" + index + "-");
      if (failuresBefore != null && failuresBefore > 0) {
        meta.getAnnotations().put(FAILURE_COUNT_KEY, failuresBefore.toString());
      }
      pod.getSpec().setHostname(name + "-" + index);
      pod.getSpec()
          .getContainers()
          .forEach(
              c ->
                  c.getEnv()
                      .add(
                          new EnvVarBuilder()
                              .withName("JOB_COMPLETION_INDEX")
                              .withNewValueFrom()
                              .withNewFieldRef()
                              .withFieldPath(
                                  "metadata.annotations['" + JobController.INDEX_KEY + "']")
                              .endFieldRef()
                              .endValueFrom()
                              .build()));
    }
    return pod;
  }

  static Integer indexOf(Pod pod) {
    String value = pod.getMetadata().getAnnotations().get(JobController.INDEX_KEY);
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** How many failures of its index this pod's failure makes (its own included). */
  static int indexFailures(Pod pod) {
    String value = pod.getMetadata().getAnnotations().get(FAILURE_COUNT_KEY);
    try {
      return (value == null ? 0 : Integer.parseInt(value)) + 1;
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** For each index, how often it has failed so far, from the Job's failed pods. */
  static Map<Integer, Integer> failuresByIndex(Job job, List<Pod> pods) {
    Map<Integer, Integer> counts = new HashMap<>();
    if (job.getSpec().getBackoffLimitPerIndex() == null) {
      return counts;
    }
    for (Pod pod : pods) {
      Integer index = indexOf(pod);
      if (index != null
          && "Failed".equals(Pods.phase(pod))
          && OwnerReferences.isControlledBy(pod, job)) {
        counts.merge(index, indexFailures(pod), Math::max);
      }
    }
    return counts;
  }

  /** Lets a counted pod go: removes the tracking finalizer; a pod already gone is fine. */
  static void removeFinalizer(KubernetesClient client, Pod pod) {
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .withName(pod.getMetadata().getName())
          .edit(
              p ->
                  new PodBuilder(p)
                      .editMetadata()
                      .removeFromFinalizers(JobController.TRACKING_FINALIZER)
                      .endMetadata()
                      .build());
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
