package dev.skiff.runtime.cri;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerRuntimeException.Code;
import dev.skiff.runtime.ContainerState;
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
import dev.skiff.runtime.cri.v1.AttachRequest.Builder;
import dev.skiff.runtime.cri.v1.ContainerStatsRequest;
import dev.skiff.runtime.cri.v1.ContainerStatusRequest;
import dev.skiff.runtime.cri.v1.CreateContainerRequest;
import dev.skiff.runtime.cri.v1.ExecSyncRequest;
import dev.skiff.runtime.cri.v1.ListContainersRequest;
import dev.skiff.runtime.cri.v1.ListPodSandboxRequest;
import dev.skiff.runtime.cri.v1.PodSandboxStatusRequest;
import dev.skiff.runtime.cri.v1.PortForwardRequest;
import dev.skiff.runtime.cri.v1.RemoveContainerRequest;
import dev.skiff.runtime.cri.v1.RemovePodSandboxRequest;
import dev.skiff.runtime.cri.v1.ReopenContainerLogRequest;
import dev.skiff.runtime.cri.v1.RunPodSandboxRequest;
import dev.skiff.runtime.cri.v1.StartContainerRequest;
import dev.skiff.runtime.cri.v1.StopContainerRequest;
import dev.skiff.runtime.cri.v1.StopPodSandboxRequest;
import dev.skiff.runtime.cri.v1.UpdateContainerResourcesRequest;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@link ContainerRuntime} over the CRI gRPC API, so that containerd or CRI-O run the pods. Where
 * runtimes answer a wrong-state call with a bare "unknown" error, the state is checked first so the
 * kubelet sees CRI's {@code FAILED_PRECONDITION}.
 */
public final class CriRuntimeService implements ContainerRuntime {
  private final CriConnection cri;

  public CriRuntimeService(CriConnection cri) {
    this.cri = cri;
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    var request =
        RunPodSandboxRequest.newBuilder()
            .setConfig(ToCri.sandbox(config))
            .setRuntimeHandler(ToCri.nullToEmpty(runtimeHandler))
            .build();
    return cri.call(() -> cri.runtime().runPodSandbox(request), "RunPodSandbox").getPodSandboxId();
  }

  @Override
  public void stopPodSandbox(String podSandboxId) {
    var request = StopPodSandboxRequest.newBuilder().setPodSandboxId(podSandboxId).build();
    cri.call(() -> cri.runtime().stopPodSandbox(request), "StopPodSandbox");
  }

  @Override
  public void removePodSandbox(String podSandboxId) {
    var request = RemovePodSandboxRequest.newBuilder().setPodSandboxId(podSandboxId).build();
    cri.call(() -> cri.runtime().removePodSandbox(request), "RemovePodSandbox");
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String podSandboxId) {
    var request =
        PodSandboxStatusRequest.newBuilder().setPodSandboxId(podSandboxId).setVerbose(true).build();
    var response = cri.call(() -> cri.runtime().podSandboxStatus(request), "PodSandboxStatus");
    return FromCri.sandboxStatus(response.getStatus(), response.getInfoMap());
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    var request = ListPodSandboxRequest.newBuilder().setFilter(ToCri.sandboxFilter(filter)).build();
    return cri
        .call(() -> cri.runtime().listPodSandbox(request), "ListPodSandbox")
        .getItemsList()
        .stream()
        .map(FromCri::sandbox)
        .toList();
  }

  @Override
  public String createContainer(
      String podSandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    var request =
        CreateContainerRequest.newBuilder()
            .setPodSandboxId(podSandboxId)
            .setConfig(ToCri.container(config))
            .setSandboxConfig(ToCri.sandbox(sandboxConfig))
            .build();
    return cri.call(() -> cri.runtime().createContainer(request), "CreateContainer")
        .getContainerId();
  }

  @Override
  public void startContainer(String containerId) {
    requireState(containerId, Set.of(ContainerState.CONTAINER_CREATED), "start");
    var request = StartContainerRequest.newBuilder().setContainerId(containerId).build();
    cri.call(() -> cri.runtime().startContainer(request), "StartContainer");
  }

  @Override
  public void stopContainer(String containerId, long timeoutSeconds) {
    var request =
        StopContainerRequest.newBuilder()
            .setContainerId(containerId)
            .setTimeout(timeoutSeconds)
            .build();
    cri.call(() -> cri.runtime().stopContainer(request), "StopContainer");
  }

  @Override
  public void removeContainer(String containerId) {
    var request = RemoveContainerRequest.newBuilder().setContainerId(containerId).build();
    cri.call(() -> cri.runtime().removeContainer(request), "RemoveContainer");
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    var request =
        ListContainersRequest.newBuilder().setFilter(ToCri.containerFilter(filter)).build();
    return cri
        .call(() -> cri.runtime().listContainers(request), "ListContainers")
        .getContainersList()
        .stream()
        .map(FromCri::container)
        .toList();
  }

  @Override
  public ContainerStatus containerStatus(String containerId) {
    var request =
        ContainerStatusRequest.newBuilder().setContainerId(containerId).setVerbose(true).build();
    var response = cri.call(() -> cri.runtime().containerStatus(request), "ContainerStatus");
    return FromCri.containerStatus(response.getStatus(), response.getInfoMap());
  }

  @Override
  public void updateContainerResources(String containerId, LinuxContainerResources resources) {
    var request =
        UpdateContainerResourcesRequest.newBuilder()
            .setContainerId(containerId)
            .setLinux(ToCri.resources(resources))
            .build();
    cri.call(() -> cri.runtime().updateContainerResources(request), "UpdateContainerResources");
  }

  @Override
  public void reopenContainerLog(String containerId) {
    var request = ReopenContainerLogRequest.newBuilder().setContainerId(containerId).build();
    cri.call(() -> cri.runtime().reopenContainerLog(request), "ReopenContainerLog");
  }

  @Override
  public ExecSyncResponse execSync(String containerId, List<String> cmd, Duration timeout) {
    requireState(containerId, Set.of(ContainerState.CONTAINER_RUNNING), "exec in");
    var request =
        ExecSyncRequest.newBuilder()
            .setContainerId(containerId)
            .addAllCmd(cmd)
            .setTimeout(Math.max(1, timeout.toSeconds()))
            .build();
    var response = cri.call(() -> cri.runtime().execSync(request), "ExecSync");
    return new ExecSyncResponse(
        response.getStdout().toByteArray(),
        response.getStderr().toByteArray(),
        response.getExitCode());
  }

  @Override
  public StreamSession exec(ExecRequest request) {
    requireState(request.containerId(), Set.of(ContainerState.CONTAINER_RUNNING), "exec in");
    var rpc =
        dev.skiff.runtime.cri.v1.ExecRequest.newBuilder()
            .setContainerId(request.containerId())
            .addAllCmd(request.cmd())
            .setTty(request.tty())
            .setStdin(request.stdin())
            .setStdout(request.stdout())
            .setStderr(request.stderr() && !request.tty())
            .build();
    String url = cri.call(() -> cri.runtime().exec(rpc), "Exec").getUrl();
    return new CriStreamSession(url, request.tty());
  }

  @Override
  public StreamSession attach(AttachRequest request) {
    requireState(request.containerId(), Set.of(ContainerState.CONTAINER_RUNNING), "attach to");
    Builder rpc =
        dev.skiff.runtime.cri.v1.AttachRequest.newBuilder()
            .setContainerId(request.containerId())
            .setStdin(request.stdin())
            .setTty(request.tty())
            .setStdout(request.stdout())
            .setStderr(request.stderr() && !request.tty());
    String url = cri.call(() -> cri.runtime().attach(rpc.build()), "Attach").getUrl();
    return new CriStreamSession(url, request.tty());
  }

  @Override
  public PortForwardStream portForward(String podSandboxId, int port) {
    var request =
        PortForwardRequest.newBuilder().setPodSandboxId(podSandboxId).addPort(port).build();
    String url = cri.call(() -> cri.runtime().portForward(request), "PortForward").getUrl();
    return new CriPortForward(url, port);
  }

  @Override
  public ContainerStats containerStats(String containerId) {
    var request = ContainerStatsRequest.newBuilder().setContainerId(containerId).build();
    return FromCri.stats(
        cri.call(() -> cri.runtime().containerStats(request), "ContainerStats").getStats());
  }

  private void requireState(String containerId, Set<ContainerState> allowed, String verb) {
    ContainerState state = containerStatus(containerId).state();
    if (!allowed.contains(state)) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION,
          "cannot " + verb + " container \"" + containerId + "\" in state " + state);
    }
  }
}
