package dev.skiff.kubelet.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodPhasesTest {
  private static ContainerStatus running() {
    return new ContainerStatusBuilder()
        .withName("a")
        .withNewState()
        .withNewRunning()
        .endRunning()
        .endState()
        .build();
  }

  private static ContainerStatus exited(int code) {
    return new ContainerStatusBuilder()
        .withName("a")
        .withNewState()
        .withNewTerminated()
        .withExitCode(code)
        .endTerminated()
        .endState()
        .build();
  }

  private static ContainerStatus waiting() {
    return new ContainerStatusBuilder()
        .withName("a")
        .withNewState()
        .withNewWaiting()
        .withReason("ContainerCreating")
        .endWaiting()
        .endState()
        .build();
  }

  private static ContainerStatus crashLooping() {
    return new ContainerStatusBuilder()
        .withName("a")
        .withNewState()
        .withNewWaiting()
        .withReason("CrashLoopBackOff")
        .endWaiting()
        .endState()
        .withNewLastState()
        .withNewTerminated()
        .withExitCode(1)
        .endTerminated()
        .endLastState()
        .build();
  }

  @Test
  void phasesFollowUpstreamRules() {
    assertEquals("Pending", PodPhases.phase("Always", List.of(), List.of(waiting()), false));
    assertEquals("Running", PodPhases.phase("Always", List.of(), List.of(running()), false));
    assertEquals("Running", PodPhases.phase("Always", List.of(), List.of(crashLooping()), false));
    assertEquals("Running", PodPhases.phase("Always", List.of(), List.of(exited(0)), false));
    assertEquals("Succeeded", PodPhases.phase("OnFailure", List.of(), List.of(exited(0)), false));
    assertEquals("Running", PodPhases.phase("OnFailure", List.of(), List.of(exited(1)), false));
    assertEquals(
        "Failed", PodPhases.phase("Never", List.of(), List.of(exited(1), exited(0)), false));
    assertEquals(
        "Running", PodPhases.phase("Never", List.of(), List.of(exited(1), running()), false));
  }

  @Test
  void initContainersGateThePhase() {
    assertEquals(
        "Pending", PodPhases.phase("Always", List.of(running()), List.of(waiting()), false));
    assertEquals("Failed", PodPhases.phase("Never", List.of(exited(2)), List.of(waiting()), false));
    assertEquals(
        "Pending",
        PodPhases.phase("OnFailure", List.of(crashLooping()), List.of(waiting()), false));
  }

  @Test
  void deletedPodsEndSucceededOrFailed() {
    assertEquals("Failed", PodPhases.phase("Always", List.of(), List.of(exited(143)), true));
    assertEquals("Succeeded", PodPhases.phase("Always", List.of(), List.of(exited(0)), true));
  }
}
