package dev.skiff.controllers.ttlafterfinished;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.skiff.controllers.testing.RunningControllers;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TtlAfterFinishedControllerTest {
  @RegisterExtension
  final RunningControllers cluster = RunningControllers.of(TtlAfterFinishedController::new);

  private KubernetesClient client;

  @BeforeEach
  void start() {
    client = cluster.client();
  }

  private Job job(String name, Integer ttl) {
    return client
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace("default")
                .endMetadata()
                .withNewSpec()
                .withTtlSecondsAfterFinished(ttl)
                .withNewTemplate()
                .withNewSpec()
                .withRestartPolicy("Never")
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
  }

  private void finish(Job job, String type) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var status = new JobStatusBuilder().withStartTime(now);
    if ("Complete".equals(type)) {
      status
          .withCompletionTime(now)
          .withSucceeded(1)
          .addToConditions(
              new JobConditionBuilder()
                  .withType("SuccessCriteriaMet")
                  .withStatus("True")
                  .withLastTransitionTime(now)
                  .build());
    } else {
      status
          .withFailed(1)
          .addToConditions(
              new JobConditionBuilder()
                  .withType("FailureTarget")
                  .withStatus("True")
                  .withLastTransitionTime(now)
                  .build());
    }
    status.addToConditions(
        new JobConditionBuilder()
            .withType(type)
            .withStatus("True")
            .withLastTransitionTime(now)
            .build());
    job.setStatus(status.build());
    client.batch().v1().jobs().inNamespace("default").resource(job).updateStatus();
  }

  private boolean gone(String name) {
    Job job = client.batch().v1().jobs().inNamespace("default").withName(name).get();
    return job == null || job.getMetadata().getDeletionTimestamp() != null;
  }

  @Test
  void finishedJobsAreDeletedAfterTheirTtlOthersStay() {
    Job done = job("done", 1);
    Job failed = job("failed", 0);
    job("running", 0);
    Job keep = job("no-ttl", null);
    finish(done, "Complete");
    finish(failed, "Failed");
    finish(keep, "Complete");
    await().atMost(Duration.ofSeconds(30)).until(() -> gone("done") && gone("failed"));
    assertNotNull(client.batch().v1().jobs().inNamespace("default").withName("running").get());
    assertNotNull(client.batch().v1().jobs().inNamespace("default").withName("no-ttl").get());
  }
}
