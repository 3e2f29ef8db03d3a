package dev.skiff.controllers.job;

import static dev.skiff.controllers.job.JobFixtures.job;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code podFailurePolicy}, {@code backoffLimitPerIndex} and {@code successPolicy}, with the
 * conditions, reasons and messages upstream writes.
 */
class JobPoliciesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = JobFixtures.startCluster();
    client = cluster.client();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** An Indexed Job of three indexes, all at once, whose listed indexes fail. */
  private static JobBuilder indexed(String name, String failIndexes) {
    return job(name, "work:indexed")
        .editSpec()
        .withCompletionMode("Indexed")
        .withCompletions(3)
        .withParallelism(3)
        .editTemplate()
        .withNewMetadata()
        .withAnnotations(Map.of(PodExits.FAIL_INDEXES, failIndexes))
        .endMetadata()
        .endTemplate()
        .endSpec();
  }

  private Job get(String name) {
    return client.batch().v1().jobs().inNamespace("default").withName(name).get();
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    return job.getStatus() == null
        ? Optional.empty()
        : job.getStatus().getConditions().stream()
            .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
            .findFirst();
  }

  private List<Pod> podsOf(String job) {
    return client
        .pods()
        .inNamespace("default")
        .withLabel("batch.kubernetes.io/job-name", job)
        .list()
        .getItems();
  }

  @Test
  void aFailJobRuleOnAnExitCodeFailsTheJobAtOnceSayingWhichContainer() {
    client
        .resource(
            job("fj", "work:exit-42")
                .editSpec()
                .withBackoffLimit(6)
                .withNewPodFailurePolicy()
                .addNewRule()
                .withAction("FailJob")
                .withNewOnExitCodes()
                .withOperator("In")
                .withValues(42)
                .endOnExitCodes()
                .endRule()
                .endPodFailurePolicy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> condition(get("fj"), "Failed").isPresent());
    JobCondition failed = condition(get("fj"), "Failed").orElseThrow();
    assertEquals("PodFailurePolicy", failed.getReason());
    List<Pod> pods = podsOf("fj");
    assertEquals(1, pods.size(), "no retry after a FailJob rule");
    assertEquals(
        "Container work for pod default/"
            + pods.getFirst().getMetadata().getName()
            + " failed with exit code 42 matching FailJob rule at index 0",
        failed.getMessage());
    assertEquals(
        "PodFailurePolicy", condition(get("fj"), "FailureTarget").orElseThrow().getReason());
    assertEquals(1, get("fj").getStatus().getFailed());
  }

  @Test
  void anIgnoreRuleOnDisruptionDoesNotCountTheFailure() {
    client
        .resource(
            job("ig", "work:disrupted")
                .editSpec()
                .withBackoffLimit(0)
                .withNewPodFailurePolicy()
                .addNewRule()
                .withAction("Ignore")
                .addNewOnPodCondition()
                .withType("DisruptionTarget")
                .endOnPodCondition()
                .endRule()
                .endPodFailurePolicy()
                .endSpec()
                .build())
        .create();
    // With backoffLimit 0 a counted failure would end the Job; ignored ones are just replaced.
    await().atMost(WAIT).until(() -> podsOf("ig").size() >= 3);
    Job job = get("ig");
    assertTrue(condition(job, "Failed").isEmpty(), "ignored failures never fail the Job");
    assertTrue(job.getStatus().getFailed() == null || job.getStatus().getFailed() == 0);
  }

  @Test
  void anIndexBeyondItsBackoffLimitFailsAloneAndTheJobFailsWhenTheOthersAreDone() {
    client
        .resource(indexed("per", "1").editSpec().withBackoffLimitPerIndex(1).endSpec().build())
        .create();
    await().atMost(WAIT).until(() -> condition(get("per"), "Failed").isPresent());
    Job job = get("per");
    JobCondition failed = condition(job, "Failed").orElseThrow();
    assertEquals("FailedIndexes", failed.getReason());
    assertEquals("Job has failed indexes", failed.getMessage());
    assertEquals("1", job.getStatus().getFailedIndexes());
    assertEquals("0,2", job.getStatus().getCompletedIndexes());
    List<Pod> indexOne =
        podsOf("per").stream()
            .filter(p -> "1".equals(p.getMetadata().getAnnotations().get(JobController.INDEX_KEY)))
            .toList();
    assertEquals(2, indexOne.size(), "index 1 ran once and was retried once");
    assertTrue(
        indexOne.stream()
            .anyMatch(
                p -> "1".equals(p.getMetadata().getAnnotations().get(JobPods.FAILURE_COUNT_KEY))),
        "the retry carries the index's failure count");
  }

  @Test
  void aFailIndexRuleFailsTheIndexWithoutRetry() {
    client
        .resource(
            indexed("fi", "2")
                .editSpec()
                .withBackoffLimitPerIndex(3)
                .withNewPodFailurePolicy()
                .addNewRule()
                .withAction("FailIndex")
                .withNewOnExitCodes()
                .withOperator("In")
                .withValues(1)
                .endOnExitCodes()
                .endRule()
                .endPodFailurePolicy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> condition(get("fi"), "Failed").isPresent());
    assertEquals("2", get("fi").getStatus().getFailedIndexes());
    assertEquals(
        1,
        podsOf("fi").stream()
            .filter(p -> "2".equals(p.getMetadata().getAnnotations().get(JobController.INDEX_KEY)))
            .count());
  }

  @Test
  void aSuccessPolicyCompletesTheJobOnceItsIndexesSucceed() {
    client
        .resource(
            indexed("sp", "1,2")
                .editSpec()
                .withBackoffLimit(10)
                .withNewSuccessPolicy()
                .addNewRule()
                .withSucceededIndexes("0")
                .endRule()
                .endSuccessPolicy()
                .endSpec()
                .build())
        .create();
    await().atMost(WAIT).until(() -> condition(get("sp"), "Complete").isPresent());
    Job job = get("sp");
    JobCondition complete = condition(job, "Complete").orElseThrow();
    assertEquals("SuccessPolicy", complete.getReason());
    assertEquals("Matched rules at index 0", complete.getMessage());
    assertEquals("SuccessPolicy", condition(job, "SuccessCriteriaMet").orElseThrow().getReason());
    assertEquals("0", job.getStatus().getCompletedIndexes());
    assertNull(condition(job, "Failed").orElse(null));
  }
}
