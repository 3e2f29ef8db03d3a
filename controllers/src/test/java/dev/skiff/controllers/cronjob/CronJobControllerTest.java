package dev.skiff.controllers.cronjob;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.OwnerReferences;
import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CronJobControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    // The controller's clock runs two minutes ahead, so a schedule comes due without waiting.
    Clock ahead = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(2));
    cluster.start(
        c -> new CronJobController(new ControllerContext(c.client(), c.informers(), ahead)));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private List<Job> jobs() {
    return client.batch().v1().jobs().inNamespace("default").list().getItems();
  }

  /** A CronJob in {@code default} whose Jobs run one busybox container, never restarted. */
  private static CronJobBuilder cronJob(String name, String schedule) {
    return new CronJobBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withSchedule(schedule)
        .withNewJobTemplate()
        .withNewSpec()
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
        .endJobTemplate()
        .endSpec();
  }

  @Test
  void createsOneJobForTheLatestDueScheduleAndRecordsIt() {
    var cj =
        client
            .resource(
                cronJob("tick", "* * * * *")
                    .editSpec()
                    .withConcurrencyPolicy("Forbid")
                    .editJobTemplate()
                    .withNewMetadata()
                    .addToLabels("team", "ops")
                    .endMetadata()
                    .endJobTemplate()
                    .endSpec()
                    .build())
            .create();

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                jobs().size() == 1
                    && client
                            .batch()
                            .v1()
                            .cronjobs()
                            .inNamespace("default")
                            .withName("tick")
                            .get()
                            .getStatus()
                            .getLastScheduleTime()
                        != null);
    Job job = jobs().getFirst();
    assertTrue(job.getMetadata().getName().matches("tick-\\d+"), job.getMetadata().getName());
    assertTrue(OwnerReferences.isControlledBy(job, cj));
    assertEquals("ops", job.getMetadata().getLabels().get("team"));
    assertTrue(
        job.getMetadata().getAnnotations().containsKey(CronJobController.SCHEDULED_TIMESTAMP));
    var status =
        client.batch().v1().cronjobs().inNamespace("default").withName("tick").get().getStatus();
    assertEquals(
        List.of(job.getMetadata().getUid()),
        status.getActive().stream().map(r -> r.getUid()).toList());
    long minute = Long.parseLong(job.getMetadata().getName().substring("tick-".length()));
    assertEquals(
        minute * 60, java.time.Instant.parse(status.getLastScheduleTime()).getEpochSecond());
  }

  @Test
  void aSuspendedCronJobStartsNothing() {
    client
        .resource(cronJob("paused", "@hourly").editSpec().withSuspend(true).endSpec().build())
        .create();
    client.resource(cronJob("marker", "* * * * *").build()).create();
    // Once the unsuspended one has run, the suspended one has been looked at too.
    await().atMost(Duration.ofSeconds(30)).until(() -> jobs().size() == 1);
    assertTrue(jobs().getFirst().getMetadata().getName().startsWith("marker-"));
  }
}
