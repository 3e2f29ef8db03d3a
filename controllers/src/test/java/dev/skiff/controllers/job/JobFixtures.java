package dev.skiff.controllers.job;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/** What the Job tests share: a cluster running the Job controller, and a one-container Job. */
final class JobFixtures {
  private JobFixtures() {}

  /** A cluster whose Pods end as {@link PodExits} says, with the Job controller running. */
  static TestCluster startCluster() throws Exception {
    TestCluster cluster = new TestCluster();
    try {
      cluster.add(new PodExits(cluster.client()));
      cluster.start(JobController::new);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * A Job in {@code default} whose one container {@code work} runs {@code image}, never restarted.
   */
  static JobBuilder job(String name, String image) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withNewTemplate()
        .withNewSpec()
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("work")
        .withImage(image)
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec();
  }
}
