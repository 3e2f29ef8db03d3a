package dev.skiff.kubelet.metrics;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerStats;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.ExecSyncResponse;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxStatus;
import dev.skiff.runtime.PortForwardStream;
import dev.skiff.runtime.StreamSession;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A runtime that counts and times every call under upstream's operation names (as the kubelet's
 * instrumented runtime service does), failures included.
 */
final class InstrumentedRuntime implements ContainerRuntime {
  private final ContainerRuntime delegate;
  private final KubeletMetrics metrics;

  InstrumentedRuntime(ContainerRuntime delegate, KubeletMetrics metrics) {
    this.delegate = delegate;
    this.metrics = metrics;
  }

  private <T> T timed(String operation, Supplier<T> call) {
    long start = System.nanoTime();
    metrics.runtimeOperations.labelValues(operation).inc();
    try {
      return call.get();
    } catch (RuntimeException e) {
      metrics.runtimeErrors.labelValues(operation).inc();
      throw e;
    } finally {
      metrics.runtimeDuration.labelValues(operation).observe((System.nanoTime() - start) / 1e9);
    }
  }

  private void timed(String operation, Runnable call) {
    timed(
        operation,
        () -> {
          call.run();
          return null;
        });
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    return timed("run_podsandbox", () -> delegate.runPodSandbox(config, runtimeHandler));
  }

  @Override
  public void stopPodSandbox(String podSandboxId) {
    timed("stop_podsandbox", () -> delegate.stopPodSandbox(podSandboxId));
  }

  @Override
  public void removePodSandbox(String podSandboxId) {
    timed("remove_podsandbox", () -> delegate.removePodSandbox(podSandboxId));
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String podSandboxId) {
    return timed("podsandbox_status", () -> delegate.podSandboxStatus(podSandboxId));
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    return timed("list_podsandbox", () -> delegate.listPodSandbox(filter));
  }

  @Override
  public String createContainer(
      String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    return timed(
        "create_container", () -> delegate.createContainer(podSandboxId, config, sandboxConfig));
  }

  @Override
  public void startContainer(String containerId) {
    timed("start_container", () -> delegate.startContainer(containerId));
  }

  @Override
  public void stopContainer(String containerId, long timeoutSeconds) {
    timed("stop_container", () -> delegate.stopContainer(containerId, timeoutSeconds));
  }

  @Override
  public void removeContainer(String containerId) {
    timed("remove_container", () -> delegate.removeContainer(containerId));
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    return timed("list_containers", () -> delegate.listContainers(filter));
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    return timed("container_status", () -> delegate.containerStatus(containerId));
  }

  @Override
  public void updateContainerResources(String containerId, LinuxContainerResources resources) {
    timed("update_container", () -> delegate.updateContainerResources(containerId, resources));
  }

  @Override
  public void reopenContainerLog(String containerId) {
    timed("reopen_container_log", () -> delegate.reopenContainerLog(containerId));
  }

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
    return timed("exec_sync", () -> delegate.execSync(containerId, cmd, timeout));
  }

  @Override
  public StreamSession exec(ExecRequest request) {
    return timed("exec", () -> delegate.exec(request));
  }

  @Override
  public StreamSession attach(AttachRequest request) {
    return timed("attach", () -> delegate.attach(request));
  }

  @Override
  public PortForwardStream portForward(String podSandboxId, int port) {
    return timed("port_forward", () -> delegate.portForward(podSandboxId, port));
  }

  @Override
  public ContainerStats containerStats(String containerId) {
    return timed("container_stats", () -> delegate.containerStats(containerId));
  }
}
