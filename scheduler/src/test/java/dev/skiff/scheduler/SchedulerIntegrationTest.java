package dev.skiff.scheduler;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.framework.SchedulerConfiguration;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler against a real API server on loopback (plain HTTP, SQLite) with fake nodes. */
class SchedulerIntegrationTest {
  @TempDir Path dir;
  private LiveApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void startServer() throws Exception {
    api = new LiveApiServer(dir);
    client = api.client;
  }

  @AfterEach
  void stopServer() {
    api.close();
  }

  private static SchedulerConfiguration config(boolean leaderElect) {
    var c = KubeSchedulerConfiguration.defaults();
    var le = c.leaderElection();
    return c.withLeaderElection(
        new SchedulerConfiguration.LeaderElection(
            leaderElect,
            Duration.ofSeconds(4),
            Duration.ofSeconds(3),
            Duration.ofMillis(500),
            le.resourceNamespace(),
            le.resourceName()));
  }

  private void createNodes(int n) {
    for (int i = 0; i < n; i++) {
      client.nodes().resource(Fixtures.node("node-" + i, "2", "4Gi", Map.of())).create();
    }
  }

  private Pod create(Pod p) {
    return api.create(p);
  }

  private String nodeOf(String pod) {
    return api.nodeOf(pod);
  }

  @Test
  void bindsPodsWhereTheyFitAndExplainsThoseThatDoNot() {
    createNodes(3);
    try (Scheduler scheduler = new Scheduler(client, config(false))) {
      scheduler.start();
      for (int i = 0; i < 3; i++) {
        create(Fixtures.pod("web-" + i, "1500m", "1Gi"));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> nodeOf("web-0") != null && nodeOf("web-1") != null && nodeOf("web-2") != null);
      Set<String> nodes = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        nodes.add(nodeOf("web-" + i));
      }
      assertEquals(3, nodes.size(), "one per node: " + nodes);

      create(Fixtures.pod("huge", "1500m", "1Gi"));
      String expected =
          "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No"
              + " preemption victims found for incoming pod..";
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                Pod p = client.pods().inNamespace("default").withName("huge").get();
                var conds = p.getStatus() == null ? null : p.getStatus().getConditions();
                return conds != null
                    && conds.stream()
                        .anyMatch(
                            c ->
                                "PodScheduled".equals(c.getType())
                                    && "False".equals(c.getStatus())
                                    && "Unschedulable".equals(c.getReason())
                                    && expected.equals(c.getMessage()));
              });
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  client.v1().events().inNamespace("default").list().getItems().stream()
                      .anyMatch(
                          e ->
                              "FailedScheduling".equals(e.getReason())
                                  && "huge".equals(e.getInvolvedObject().getName())
                                  && expected.equals(e.getMessage())
                                  && "Warning".equals(e.getType())));
      assertTrue(
          client.v1().events().inNamespace("default").list().getItems().stream()
              .anyMatch(
                  e ->
                      "Scheduled".equals(e.getReason())
                          && e.getMessage()
                              .equals(
                                  "Successfully assigned default/web-0 to " + nodeOf("web-0"))));

      // A pod that comes and goes retries "huge", which fails the same way: one event, count 2.
      create(Fixtures.pod("brief", "100m", "10Mi"));
      await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("brief") != null);
      client.pods().inNamespace("default").withName("brief").withGracePeriod(0).delete();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                var failures =
                    client.v1().events().inNamespace("default").list().getItems().stream()
                        .filter(
                            e ->
                                "FailedScheduling".equals(e.getReason())
                                    && "huge".equals(e.getInvolvedObject().getName()))
                        .toList();
                return failures.size() == 1
                    && Integer.valueOf(2).equals(failures.getFirst().getCount());
              });

      client.pods().inNamespace("default").withName("web-1").withGracePeriod(0).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> nodeOf("huge") != null);
      assertTrue(
          scheduler
              .metricsText()
              .contains(
                  "scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"} 5"),
          scheduler.metricsText());
    }
  }

  @Test
  void onlyTheLeaseHolderSchedules() {
    createNodes(1);
    Scheduler first = new Scheduler(client, config(true));
    try (Scheduler second = new Scheduler(client, config(true))) {
      try {
        first.start();
        await().atMost(Duration.ofSeconds(20)).until(first::isLeader);
        second.start();
        var lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
        assertEquals(first.identity(), lease.getSpec().getHolderIdentity());
        create(Fixtures.pod("p", "100m", "100Mi"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("p") != null);
        assertFalse(second.isLeader());
      } finally {
        first.close();
      }
      await().atMost(Duration.ofSeconds(30)).until(second::isLeader);
      create(Fixtures.pod("q", "100m", "100Mi"));
      await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("q") != null);
    }
  }
}
