package dev.skiff.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.status.RuntimePodState;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.PodSandboxStatus;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SyncPlannerTest {
  private static final Container APP =
      new ContainerBuilder().withName("app").withImage("busybox").build();
  private static final Container INIT =
      new ContainerBuilder().withName("init").withImage("busybox").build();

  private static Pod pod(String policy, List<Container> inits) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p")
        .withUid("u1")
        .withNamespace("default")
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy(policy)
        .withInitContainers(inits)
        .withContainers(APP)
        .endSpec()
        .build();
  }

  private static PodSandboxStatus sandbox(PodSandboxState state) {
    return new PodSandboxStatus(
        "sb",
        new PodSandboxMetadata("p", "u1", "default", 0),
        state,
        1,
        "10.0.0.2",
        List.of(),
        NamespaceOptions.DEFAULT,
        null,
        Map.of(),
        Map.of(),
        null);
  }

  private static ContainerStatus container(
      Container c, int attempt, ContainerState state, int exit) {
    return new ContainerStatus(
        "id-" + c.getName() + attempt,
        "sb",
        new ContainerMetadata(c.getName(), attempt),
        state,
        attempt,
        attempt,
        state == ContainerState.CONTAINER_EXITED ? 100 + attempt : 0,
        exit,
        null,
        null,
        null,
        null,
        Map.of(PodLabels.CONTAINER_HASH, ContainerHash.of(c)),
        Map.of(),
        List.of(),
        null,
        null,
        0);
  }

  @Test
  void newPodGetsSandboxAndFirstInitContainerOnly() {
    PodActions a = SyncPlanner.plan(pod("Always", List.of(INIT)), RuntimePodState.NONE, Set.of());
    assertTrue(a.createSandbox());
    assertFalse(a.killPod());
    assertEquals(List.of("init"), a.toStart().stream().map(s -> s.container().getName()).toList());
  }

  @Test
  void containersStartAfterInitSucceeded() {
    var rt =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(container(INIT, 0, ContainerState.CONTAINER_EXITED, 0)));
    PodActions a = SyncPlanner.plan(pod("Always", List.of(INIT)), rt, Set.of());
    assertEquals(List.of("app"), a.toStart().stream().map(s -> s.container().getName()).toList());
  }

  @Test
  void exitedContainerRestartsByPolicyWithNextAttempt() {
    var rt =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(container(APP, 0, ContainerState.CONTAINER_EXITED, 1)));
    PodActions always = SyncPlanner.plan(pod("Always", List.of()), rt, Set.of());
    assertEquals(1, always.toStart().getFirst().attempt());
    assertEquals(100, always.toStart().getFirst().lastFinishedAt());
    assertEquals(1, SyncPlanner.plan(pod("OnFailure", List.of()), rt, Set.of()).toStart().size());
    PodActions never = SyncPlanner.plan(pod("Never", List.of()), rt, Set.of());
    assertTrue(never.toStart().isEmpty());
    assertTrue(never.podDone());
    assertTrue(never.killPod(), "a finished pod's sandbox is stopped");
  }

  @Test
  void unhealthyContainerIsKilledAndRestarted() {
    var rt =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(container(APP, 0, ContainerState.CONTAINER_RUNNING, 0)));
    PodActions a = SyncPlanner.plan(pod("Always", List.of()), rt, Set.of("app"));
    assertEquals("id-app0", a.toKill().getFirst().containerId());
    assertEquals(1, a.toStart().getFirst().attempt());
    assertTrue(SyncPlanner.plan(pod("Always", List.of()), rt, Set.of()).toStart().isEmpty());
  }

  @Test
  void changedSpecReplacesRunningContainer() {
    Container old = new ContainerBuilder(APP).withImage("busybox:old").build();
    var rt =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(container(old, 0, ContainerState.CONTAINER_RUNNING, 0)));
    PodActions a = SyncPlanner.plan(pod("Always", List.of()), rt, Set.of());
    assertEquals(1, a.toKill().size());
    assertEquals(1, a.toStart().size());
  }

  @Test
  void deadSandboxIsReplacedUnlessPodIsDone() {
    var rt =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_NOTREADY),
            List.of(container(APP, 0, ContainerState.CONTAINER_EXITED, 0)));
    PodActions a = SyncPlanner.plan(pod("Always", List.of()), rt, Set.of());
    assertTrue(a.killPod());
    assertTrue(a.createSandbox());
    assertEquals(1, a.toStart().getFirst().attempt());
    PodActions done = SyncPlanner.plan(pod("OnFailure", List.of()), rt, Set.of());
    assertFalse(done.createSandbox());
    assertTrue(done.podDone());
  }

  @Test
  void anEphemeralContainerStartsOnceAndIsNeverRestartedOrKilled() {
    Pod pod =
        new PodBuilder(pod("Always", List.of()))
            .editSpec()
            .addNewEphemeralContainer()
            .withName("debugger")
            .withImage("busybox")
            .withTargetContainerName("app")
            .endEphemeralContainer()
            .endSpec()
            .build();
    Container debugger = EphemeralContainerSpecs.of(pod).getFirst();
    assertTrue(debugger.getAdditionalProperties().isEmpty(), debugger.toString());
    assertEquals("app", EphemeralContainerSpecs.target(pod, "debugger"));
    var added =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(container(APP, 0, ContainerState.CONTAINER_RUNNING, 0)));
    assertEquals(
        List.of("debugger"),
        SyncPlanner.plan(pod, added, Set.of()).toStart().stream()
            .map(s -> s.container().getName())
            .toList());
    var running =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(
                container(APP, 0, ContainerState.CONTAINER_RUNNING, 0),
                container(debugger, 0, ContainerState.CONTAINER_RUNNING, 0)));
    PodActions steady = SyncPlanner.plan(pod, running, Set.of());
    assertTrue(steady.toKill().isEmpty(), steady.toString());
    assertTrue(steady.toStart().isEmpty(), steady.toString());
    var exited =
        new RuntimePodState(
            sandbox(PodSandboxState.SANDBOX_READY),
            List.of(
                container(APP, 0, ContainerState.CONTAINER_RUNNING, 0),
                container(debugger, 0, ContainerState.CONTAINER_EXITED, 1)));
    assertTrue(SyncPlanner.plan(pod, exited, Set.of()).toStart().isEmpty());
  }
}
