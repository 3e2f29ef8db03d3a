package dev.skiff.runtime;

import java.time.Duration;
import java.util.List;

/**
 * The CRI runtime service, as the kubelet uses it. Ids are the runtime's; {@code NOT_FOUND} errors
 * say an id is unknown. Stop and remove calls are idempotent, as in CRI.
 */
public interface ContainerRuntime {
  /** Creates and starts a sandbox, its namespaces and network; returns its id. */
  String runPodSandbox(PodSandboxConfig config, String runtimeHandler);

  /** Stops the sandbox's containers and pause process and tears down its network. */
  void stopPodSandbox(String podSandboxId);

  /** Removes a sandbox and its containers (stopping them if needed). */
  void removePodSandbox(String podSandboxId);

  PodSandboxStatus podSandboxStatus(String podSandboxId);

  List<PodSandbox> listPodSandbox(PodSandboxFilter filter);

  String createContainer(
      String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig);

  void startContainer(String containerId);

  /** Sends SIGTERM, then SIGKILL after {@code timeoutSeconds}. */
  void stopContainer(String containerId, long timeoutSeconds);

  void removeContainer(String containerId);

  List<Container> listContainers(ContainerFilter filter);

  ContainerStatus containerStatus(String containerId);

  void updateContainerResources(String containerId, LinuxContainerResources resources);

  /** Makes the container's log writer reopen its log file (after rotation). */
  void reopenContainerLog(String containerId);

  ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout);

  StreamSession exec(ExecRequest request);

  StreamSession attach(AttachRequest request);

  PortForwardStream portForward(String podSandboxId, int port);

  ContainerStats containerStats(String containerId);
}
