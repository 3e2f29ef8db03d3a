package dev.skiff.controllers.job;

import static dev.skiff.controllers.job.JobFixtures.job;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobControllerTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
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

  private Job get(String name) {
    return client.batch().v1().jobs().inNamespace("default").withName(name).get();
  }

  private static String condition(Job job, String type) {
    if (job.getStatus() == null) {
      return null;
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(JobCondition::getReason)
        .findFirst()
        .orElse(null);
  }

  private List<Pod> podsOf(String job) {
    return client.pods().inNamespace("default").list().getItems().stream()
        .filter(
            p ->
                p.getMetadata().getOwnerReferences().stream()
                    .anyMatch(r -> r.getName().equals(job)))
        .toList();
  }

  @Test
  void runsCompletionsWithAtMostParallelismPodsAtOnceAndCountsEachOnce() {
    Set<String> running = ConcurrentHashMap.newKeySet();
    AtomicInteger most = new AtomicInteger();
    Watch watch =
        client
            .pods()
            .inNamespace("default")
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
                    if (action == Action.DELETED
                        || "Succeeded".equals(phase)
                        || "Failed".equals(phase)) {
                      running.remove(pod.getMetadata().getName());
                    } else {
                      running.add(pod.getMetadata().getName());
                    }
                    most.accumulateAndGet(running.size(), Math::max);
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    try {
      client
          .resource(
              job("batch", "busybox:ok")
                  .editSpec()
                  .withCompletions(3)
                  .withParallelism(2)
                  .endSpec()
                  .build())
          .create();
      await()
          .atMost(WAIT)
          .until(() -> "CompletionsReached".equals(condition(get("batch"), "Complete")));
    } finally {
      watch.close();
    }
    Job done = get("batch");
    assertEquals(3, done.getStatus().getSucceeded());
    assertEquals(0, done.getStatus().getActive());
    assertNotNull(done.getStatus().getCompletionTime());
    assertEquals("CompletionsReached", condition(done, "SuccessCriteriaMet"));
    assertTrue(most.get() <= 2, "at most parallelism pods run at once, saw " + most.get());
    assertEquals(3, podsOf("batch").size(), "no pod beyond the completions");
    await()
        .atMost(WAIT)
        .until(
            () ->
                podsOf("batch").stream()
                    .noneMatch(
                        p ->
                            p.getMetadata()
                                .getFinalizers()
                                .contains(JobController.TRACKING_FINALIZER)));
  }

  @Test
  void aJobWhosePodsFailBeyondTheBackoffLimitFails() {
    client
        .resource(job("doomed", "busybox:fail").editSpec().withBackoffLimit(0).endSpec().build())
        .create();
    await()
        .atMost(WAIT)
        .until(() -> "BackoffLimitExceeded".equals(condition(get("doomed"), "Failed")));
    Job failed = get("doomed");
    assertEquals(1, failed.getStatus().getFailed());
    assertEquals(
        "Job has reached the specified backoff limit",
        failed.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Failed"))
            .findFirst()
            .orElseThrow()
            .getMessage());
    assertEquals(1, podsOf("doomed").size(), "no retry beyond the limit");
  }

  @Test
  void anIndexedJobRunsEachIndexOnce() {
    client
        .resource(
            job("idx", "busybox:ok")
                .editSpec()
                .withCompletions(3)
                .withParallelism(3)
                .withCompletionMode("Indexed")
                .endSpec()
                .build())
        .create();
    await()
        .atMost(WAIT)
        .until(() -> "CompletionsReached".equals(condition(get("idx"), "Complete")));
    assertEquals("0-2", get("idx").getStatus().getCompletedIndexes());
    List<String> indexes =
        podsOf("idx").stream()
            .map(p -> p.getMetadata().getAnnotations().get(JobController.INDEX_KEY))
            .sorted()
            .toList();
    assertEquals(List.of("0", "1", "2"), indexes);
    Pod first =
        podsOf("idx").stream()
            .filter(p -> "0".equals(p.getMetadata().getAnnotations().get(JobController.INDEX_KEY)))
            .findFirst()
            .orElseThrow();
    assertEquals("idx-0", first.getSpec().getHostname());
    assertTrue(first.getMetadata().getName().startsWith("idx-0-"));
  }
}
