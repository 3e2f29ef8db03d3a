package dev.skiff.kubelet.pod;

import static dev.skiff.kubelet.testing.TestPods.app;
import static dev.skiff.kubelet.testing.TestPods.condition;
import static dev.skiff.kubelet.testing.TestPods.ready;
import static dev.skiff.kubelet.testing.TestPods.sleeper;
import static dev.skiff.kubelet.testing.TestPods.waitingReason;
import static dev.skiff.kubelet.testing.TestPods.withApp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.testing.TestCluster;
import dev.skiff.kubelet.testing.TestPods;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PodLifecycleTest {
  private TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = new TestCluster("node-a");
    cluster.startKubelet();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static PodBuilder pod(String name, String restartPolicy, List<String> command) {
    return sleeper(name, "node-a")
        .editSpec()
        .withRestartPolicy(restartPolicy)
        .withTerminationGracePeriodSeconds(5L)
        .editFirstContainer()
        .withCommand(command)
        .endContainer()
        .endSpec();
  }

  private List<String> eventReasons(String pod) {
    return cluster.events(pod).stream().map(Event::getReason).toList();
  }

  @Test
  void podRunsAndBecomesReadyWithEvents() {
    cluster.create(pod("web", "Always", List.of("sleep", "3600")).build());
    Pod p = cluster.awaitPod("web", x -> "Running".equals(x.getStatus().getPhase()) && ready(x));
    ContainerStatus s = app(p);
    assertTrue(s.getState().getRunning() != null);
    assertEquals(true, s.getReady());
    assertEquals(true, s.getStarted());
    assertEquals(0, s.getRestartCount());
    assertTrue(s.getContainerID().startsWith("skiff://"));
    assertEquals("127.0.0.1", p.getStatus().getHostIP());
    assertTrue(p.getStatus().getPodIP().startsWith("10.88.0."));
    assertEquals("BestEffort", p.getStatus().getQosClass());
    assertEquals("True", condition(p, "Initialized"));
    assertEquals("True", condition(p, "ContainersReady"));
    assertEquals("True", condition(p, "PodReadyToStartContainers"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                eventReasons("web")
                    .containsAll(List.of("Pulling", "Pulled", "Created", "Started")));
  }

  @Test
  void exitedContainerRestartsThenBacksOff() {
    cluster.create(pod("crash", "Always", List.of("sleep", "3600")).build());
    cluster.awaitPod(
        "crash",
        x -> "Running".equals(x.getStatus().getPhase()) && app(x).getState().getRunning() != null);
    cluster.runtime.exit("crash", "app", 1);
    Pod p =
        cluster.awaitPod(
            "crash", x -> app(x).getRestartCount() == 1 && app(x).getState().getRunning() != null);
    assertEquals(1, app(p).getLastState().getTerminated().getExitCode());
    assertEquals("Error", app(p).getLastState().getTerminated().getReason());

    cluster.runtime.exit("crash", "app", 2);
    p = cluster.awaitPod("crash", x -> "CrashLoopBackOff".equals(waitingReason(x)));
    assertEquals(1, app(p).getRestartCount());
    assertEquals(2, app(p).getLastState().getTerminated().getExitCode());
    assertTrue(
        app(p)
            .getState()
            .getWaiting()
            .getMessage()
            .startsWith("back-off 10s restarting failed container=app pod=crash_default("));
    assertEquals("Running", p.getStatus().getPhase());
    assertEquals("False", condition(p, "Ready"));
    cluster.awaitEvent("crash", "BackOff", m -> true);
  }

  @Test
  void neverRestartingPodSucceedsOrFails() {
    cluster.create(pod("ok", "Never", List.of("exit", "0")).build());
    cluster.create(pod("bad", "Never", List.of("exit", "3")).build());
    cluster.create(pod("retry", "OnFailure", List.of("exit", "0")).build());
    Pod ok = cluster.awaitPod("ok", x -> "Succeeded".equals(x.getStatus().getPhase()));
    assertEquals("Completed", app(ok).getState().getTerminated().getReason());
    assertEquals(
        "PodCompleted",
        ok.getStatus().getConditions().stream()
            .filter(c -> c.getType().equals("Ready"))
            .findFirst()
            .orElseThrow()
            .getReason());
    Pod bad = cluster.awaitPod("bad", x -> "Failed".equals(x.getStatus().getPhase()));
    assertEquals(3, app(bad).getState().getTerminated().getExitCode());
    assertEquals("Error", app(bad).getState().getTerminated().getReason());
    assertEquals(0, app(bad).getRestartCount());
    cluster.awaitPod("retry", x -> "Succeeded".equals(x.getStatus().getPhase()));
  }

  @Test
  void initContainersRunInOrderBeforeContainers() {
    Pod spec =
        pod("init", "Always", List.of("sleep", "3600"))
            .editSpec()
            .addNewInitContainer()
            .withName("first")
            .withImage(TestPods.IMAGE)
            .withCommand("exit", "0")
            .endInitContainer()
            .addNewInitContainer()
            .withName("second")
            .withImage(TestPods.IMAGE)
            .withCommand("exit", "0")
            .endInitContainer()
            .endSpec()
            .build();
    cluster.create(spec);
    Pod p = cluster.awaitPod("init", x -> "Running".equals(x.getStatus().getPhase()));
    assertEquals("True", condition(p, "Initialized"));
    for (ContainerStatus s : p.getStatus().getInitContainerStatuses()) {
      assertEquals("Completed", s.getState().getTerminated().getReason());
    }
    List<String> order =
        cluster.runtime.containersOf("init").stream().map(c -> c.metadata().name()).toList();
    assertEquals(List.of("first", "second", "app"), order);
  }

  @Test
  void failedInitContainerFailsNeverRestartingPod() {
    Pod spec =
        pod("badinit", "Never", List.of("sleep", "3600"))
            .editSpec()
            .addNewInitContainer()
            .withName("setup")
            .withImage(TestPods.IMAGE)
            .withCommand("exit", "7")
            .endInitContainer()
            .endSpec()
            .build();
    cluster.create(spec);
    Pod p = cluster.awaitPod("badinit", x -> "Failed".equals(x.getStatus().getPhase()));
    assertEquals(
        7,
        p.getStatus()
            .getInitContainerStatuses()
            .getFirst()
            .getState()
            .getTerminated()
            .getExitCode());
    assertEquals("PodInitializing", app(p).getState().getWaiting().getReason());
    assertTrue(
        cluster.runtime.containersOf("badinit").stream()
            .noneMatch(c -> c.metadata().name().equals("app")));
  }

  @Test
  void gracefulDeletionStopsContainersThenRemovesPod() throws Exception {
    cluster.create(pod("bye", "Always", List.of("sleep", "3600")).build());
    Pod running = cluster.awaitPod("bye", x -> "Running".equals(x.getStatus().getPhase()));
    // The log a runtime would have written for the container.
    java.nio.file.Path logs =
        cluster.config.podLogDir().resolve("default_bye_" + running.getMetadata().getUid());
    java.nio.file.Files.createDirectories(logs.resolve("app"));
    java.nio.file.Files.writeString(logs.resolve("app/0.log"), "line\n");
    cluster.client().pods().inNamespace("default").withName("bye").delete();
    await().atMost(Duration.ofSeconds(20)).until(() -> cluster.pod("bye") == null);
    await().atMost(Duration.ofSeconds(10)).until(() -> cluster.runtime.sandboxCount() == 0);
    assertEquals(0, cluster.runtime.containerCount());
    await().atMost(Duration.ofSeconds(10)).until(() -> !java.nio.file.Files.exists(logs));
    cluster.awaitEvent("bye", "Killing", m -> true);
  }

  @Test
  void kubeletRestartLeavesContainersRunning() {
    cluster.create(pod("stay", "Always", List.of("sleep", "3600")).build());
    Pod before = cluster.awaitPod("stay", x -> ready(x));
    String id = app(before).getContainerID();
    cluster.stopKubelet();
    cluster.startKubelet();
    Pod after = cluster.awaitPod("stay", x -> ready(x));
    assertEquals(id, app(after).getContainerID());
    assertEquals(0, app(after).getRestartCount());
    assertEquals(1, cluster.runtime.sandboxCount());
    assertEquals(1, cluster.runtime.containerCount());
  }

  @Test
  void missingImageWaitsWithPullErrors() {
    Pod spec =
        withApp(pod("noimg", "Always", List.of("sleep", "1")), c -> c.withImage("missing:1"));
    cluster.create(spec);
    Pod p =
        cluster.awaitPod(
            "noimg", x -> List.of("ErrImagePull", "ImagePullBackOff").contains(waitingReason(x)));
    assertEquals("Pending", p.getStatus().getPhase());
    cluster.awaitPod("noimg", x -> "ImagePullBackOff".equals(waitingReason(x)));
    assertTrue(eventReasons("noimg").contains("Failed"));
  }

  @Test
  void failedContainerFallsBackToItsLogForTheMessage() throws Exception {
    Pod spec =
        withApp(
            pod("tell", "Never", List.of("sleep", "3600")),
            c -> c.withTerminationMessagePolicy("FallbackToLogsOnError"));
    cluster.create(spec);
    Pod running = cluster.awaitPod("tell", x -> "Running".equals(x.getStatus().getPhase()));
    java.nio.file.Path log = cluster.containerLog(running, "app");
    java.nio.file.Files.createDirectories(log.getParent());
    java.nio.file.Files.writeString(
        log,
        dev.skiff.runtime.logs.CriLogFormat.format(
                java.time.Instant.now(),
                dev.skiff.runtime.logs.LogEntry.Stream.STDERR,
                "panic: no config")
            + "\n");
    cluster.runtime.exit("tell", "app", 3);
    Pod p = cluster.awaitPod("tell", x -> "Failed".equals(x.getStatus().getPhase()));
    assertEquals("panic: no config", app(p).getState().getTerminated().getMessage());
  }

  @Test
  void podThatDoesNotFitIsRejected() {
    Pod spec =
        pod("huge", "Always", List.of("sleep", "1"))
            .editSpec()
            .editFirstContainer()
            .withNewResources()
            .withRequests(
                java.util.Map.of("cpu", new io.fabric8.kubernetes.api.model.Quantity("100000")))
            .endResources()
            .endContainer()
            .endSpec()
            .build();
    cluster.create(spec);
    Pod p = cluster.awaitPod("huge", x -> "Failed".equals(x.getStatus().getPhase()));
    assertEquals("OutOfcpu", p.getStatus().getReason());
    assertTrue(
        p.getStatus()
            .getMessage()
            .startsWith(
                "Pod was rejected: Node didn't have enough resource: cpu, requested: 100000000"));
    assertEquals(0, cluster.runtime.sandboxCount());
  }

  @Test
  void missingConfigMapIsAContainerConfigError() {
    Pod spec =
        withApp(
            pod("nocm", "Always", List.of("sleep", "1")),
            c ->
                c.addNewEnv()
                    .withName("X")
                    .withNewValueFrom()
                    .withNewConfigMapKeyRef("k", "absent", false)
                    .endValueFrom()
                    .endEnv());
    cluster.create(spec);
    Pod p = cluster.awaitPod("nocm", x -> "CreateContainerConfigError".equals(waitingReason(x)));
    assertEquals("configmap \"absent\" not found", app(p).getState().getWaiting().getMessage());
    assertNull(app(p).getContainerID());
  }
}
