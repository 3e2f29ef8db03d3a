package dev.skiff.controllers.job;

import dev.skiff.controllers.testing.PodFeed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;

/**
 * Stands in for the kubelet running run-to-completion pods: a pod whose image ends in ":ok" exits 0
 * (Succeeded), one ending in ":fail" exits 1 (Failed), ":exit-N" exits N, ":disrupted" fails with a
 * DisruptionTarget condition, and ":indexed" exits 1 if its completion index is listed in the
 * {@link #FAIL_INDEXES} annotation and 0 otherwise; others keep running.
 */
final class PodExits implements AutoCloseable {
  static final String FAIL_INDEXES = "skiff.dev/test-fail-indexes";
  private final KubernetesClient client;
  private final PodFeed pods;

  PodExits(KubernetesClient client) {
    this.client = client;
    this.pods = new PodFeed(client, this::exit);
  }

  private void exit(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return;
    }
    String image = pod.getSpec().getContainers().getFirst().getImage();
    String tag = image.substring(image.lastIndexOf(':') + 1);
    Integer exitCode =
        switch (tag) {
          case "ok" -> 0;
          case "fail", "disrupted" -> 1;
          case "indexed" -> failsAtIndex(pod) ? 1 : 0;
          default -> tag.startsWith("exit-") ? Integer.valueOf(tag.substring(5)) : null;
        };
    if (exitCode == null) {
      return;
    }
    PodBuilder exited =
        new PodBuilder(pod)
            .editOrNewStatus()
            .withPhase(exitCode == 0 ? "Succeeded" : "Failed")
            .addNewContainerStatus()
            .withName(pod.getSpec().getContainers().getFirst().getName())
            .withImage(image)
            .withNewState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(exitCode == 0 ? "Completed" : "Error")
            .endTerminated()
            .endState()
            .endContainerStatus()
            .endStatus();
    if (tag.equals("disrupted")) {
      exited
          .editStatus()
          .addNewCondition()
          .withType("DisruptionTarget")
          .withStatus("True")
          .withReason("EvictionByEvictionAPI")
          .endCondition()
          .endStatus();
    }
    try {
      client
          .pods()
          .inNamespace(pod.getMetadata().getNamespace())
          .resource(exited.build())
          .updateStatus();
    } catch (KubernetesClientException e) {
      PodFeed.failed(pod, e);
    }
  }

  private static boolean failsAtIndex(Pod pod) {
    String listed = pod.getMetadata().getAnnotations().get(FAIL_INDEXES);
    String index = pod.getMetadata().getAnnotations().get(JobController.INDEX_KEY);
    return listed != null && index != null && List.of(listed.split(",")).contains(index);
  }

  @Override
  public void close() {
    pods.close();
  }
}
