package dev.skiff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link ContainerRuntime} must do, as the kubelet relies on it. Subclasses supply a
 * runtime with the busybox:1.35 image present, and a pod config.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ContainerRuntimeContract {
  protected abstract ContainerRuntime runtime();

  protected abstract PodSandboxConfig pod(String name);

  protected ContainerConfig sleeper(String name) {
    return new ContainerConfig(
        new ContainerMetadata(name, 0),
        new ImageSpec("busybox:1.35"),
        List.of("sleep", "600"),
        null,
        null,
        null,
        null,
        null,
        Map.of("role", name),
        null,
        null,
        false,
        false,
        false,
        null);
  }

  @Test
  void sandboxLifecycle() {
    PodSandboxConfig pod = pod("contract-" + UUID.randomUUID().toString().substring(0, 6));
    String id = runtime().runPodSandbox(pod, null);
    PodSandboxStatus s = runtime().podSandboxStatus(id);
    assertEquals(PodSandboxState.SANDBOX_READY, s.state());
    assertEquals(pod.metadata(), s.metadata());
    assertTrue(s.createdAt() > 0);
    assertEquals(
        1, runtime().listPodSandbox(new PodSandboxFilter(null, null, pod.labels())).size());
    assertEquals(
        1, runtime().listPodSandbox(new PodSandboxFilter(id.substring(0, 12), null, null)).size());
    runtime().stopPodSandbox(id);
    runtime().stopPodSandbox(id);
    assertEquals(PodSandboxState.SANDBOX_NOTREADY, runtime().podSandboxStatus(id).state());
    assertTrue(
        runtime()
            .listPodSandbox(new PodSandboxFilter(id, PodSandboxState.SANDBOX_READY, null))
            .isEmpty());
    runtime().removePodSandbox(id);
    runtime().removePodSandbox(id);
    assertEquals(
        ContainerRuntimeException.Code.NOT_FOUND,
        assertThrows(ContainerRuntimeException.class, () -> runtime().podSandboxStatus(id)).code());
  }

  @Test
  void containerLifecycle() {
    PodSandboxConfig pod = pod("contract-" + UUID.randomUUID().toString().substring(0, 6));
    String sb = runtime().runPodSandbox(pod, null);
    try {
      String a = runtime().createContainer(sb, sleeper("a"), pod);
      String b = runtime().createContainer(sb, sleeper("b"), pod);
      assertNotEquals(a, b);
      assertEquals(ContainerState.CONTAINER_CREATED, runtime().containerStatus(a).state());
      runtime().startContainer(a);
      ContainerStatus running = runtime().containerStatus(a);
      assertEquals(ContainerState.CONTAINER_RUNNING, running.state());
      assertTrue(running.startedAt() > 0);
      assertEquals("a", running.metadata().name());
      assertEquals(
          ContainerRuntimeException.Code.FAILED_PRECONDITION,
          assertThrows(ContainerRuntimeException.class, () -> runtime().startContainer(a)).code());
      assertEquals(
          List.of(a),
          runtime()
              .listContainers(new ContainerFilter(null, ContainerState.CONTAINER_RUNNING, sb, null))
              .stream()
              .map(Container::id)
              .toList());
      assertEquals(
          List.of(b),
          runtime()
              .listContainers(new ContainerFilter(null, null, sb, Map.of("role", "b")))
              .stream()
              .map(Container::id)
              .toList());
      assertEquals(0, runtime().execSync(a, List.of("true"), Duration.ofSeconds(10)).exitCode());
      runtime().stopContainer(a, 0);
      ContainerStatus exited = runtime().containerStatus(a);
      assertEquals(ContainerState.CONTAINER_EXITED, exited.state());
      assertEquals(137, exited.exitCode());
      assertTrue(exited.finishedAt() >= exited.startedAt());
      runtime().stopContainer(a, 0);
      assertEquals(
          ContainerRuntimeException.Code.FAILED_PRECONDITION,
          assertThrows(
                  ContainerRuntimeException.class,
                  () -> runtime().execSync(a, List.of("true"), Duration.ofSeconds(5)))
              .code());
      runtime().removeContainer(a);
      runtime().removeContainer(a);
      assertEquals(
          ContainerRuntimeException.Code.NOT_FOUND,
          assertThrows(ContainerRuntimeException.class, () -> runtime().containerStatus(a)).code());
    } finally {
      runtime().removePodSandbox(sb);
    }
    assertTrue(runtime().listContainers(new ContainerFilter(null, null, sb, null)).isEmpty());
  }

  @Test
  void missingImageIsNotFound() {
    PodSandboxConfig pod = pod("contract-" + UUID.randomUUID().toString().substring(0, 6));
    String sb = runtime().runPodSandbox(pod, null);
    try {
      ContainerConfig c = ContainerConfig.of("x", "absent:9", List.of("true"));
      assertEquals(
          ContainerRuntimeException.Code.NOT_FOUND,
          assertThrows(ContainerRuntimeException.class, () -> runtime().createContainer(sb, c, pod))
              .code());
    } finally {
      runtime().removePodSandbox(sb);
    }
  }
}
