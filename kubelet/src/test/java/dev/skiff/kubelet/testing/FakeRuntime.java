package dev.skiff.kubelet.testing;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.AuthConfig;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStats;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.ExecSyncResponse;
import dev.skiff.runtime.FilesystemUsage;
import dev.skiff.runtime.Image;
import dev.skiff.runtime.ImageFilter;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxStatus;
import dev.skiff.runtime.PortForwardStream;
import dev.skiff.runtime.StreamSession;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The runtime module's in-memory runtime with what kubelet tests steer and observe: the runtime can
 * be {@link #down}; a container whose command is {@code ["exit", "N"]} exits with N as soon as it
 * starts; images whose name contains "missing" fail to pull; {@code exec} answers {@code ["true"]}
 * and {@code ["false"]}, and what {@link #execHandler} says for anything else. As a real runtime
 * does, container status carries the log path, and a pid while running; stats report {@link
 * #cpuNanos} and {@link #workingSetBytes}.
 */
public final class FakeRuntime implements ContainerRuntime, ImageService {
  private final dev.skiff.runtime.fake.FakeRuntime runtime =
      new dev.skiff.runtime.fake.FakeRuntime();
  private final Map<String, ContainerConfig> configs = new ConcurrentHashMap<>();
  public volatile boolean down;
  public volatile Function<List<String>, Integer> execHandler = cmd -> 126;
  public final List<String> pulls = new CopyOnWriteArrayList<>();

  /** What containerStats reports for every container: cpu core-nanoseconds, working set bytes. */
  public volatile long cpuNanos;

  public volatile long workingSetBytes;

  private void up() {
    if (down) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.UNAVAILABLE, "fake runtime is down");
    }
  }

  /** Ends a running container of the pod with {@code exitCode}, as if its process exited. */
  public void exit(String podName, String containerName, int exitCode) {
    for (Container c : runtime.listContainers(ContainerFilter.ALL)) {
      if (c.state() == ContainerState.CONTAINER_RUNNING
          && c.metadata().name().equals(containerName)
          && podOf(c).equals(podName)) {
        runtime.exitContainer(c.id(), exitCode, exitCode == 0 ? "Completed" : "Error");
        return;
      }
    }
    throw new AssertionError("no running container " + containerName + " in pod " + podName);
  }

  /** Containers of a pod by name, in creation order (all attempts). */
  public List<ContainerStatus> containersOf(String podName) {
    return runtime.listContainers(ContainerFilter.ALL).stream()
        .filter(c -> podOf(c).equals(podName))
        .map(c -> containerStatus(c.id()))
        .sorted(Comparator.comparingLong(ContainerStatus::createdAt))
        .toList();
  }

  private String podOf(Container c) {
    return runtime.podSandboxStatus(c.podSandboxId()).metadata().name();
  }

  public int sandboxCount() {
    return runtime.listPodSandbox(PodSandboxFilter.ALL).size();
  }

  public int containerCount() {
    return runtime.listContainers(ContainerFilter.ALL).size();
  }

  public ContainerConfig configOf(String containerId) {
    return configs.get(containerId);
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    up();
    return runtime.runPodSandbox(config, runtimeHandler);
  }

  @Override
  public void stopPodSandbox(String id) {
    up();
    runtime.stopPodSandbox(id);
  }

  @Override
  public void removePodSandbox(String id) {
    up();
    runtime.removePodSandbox(id);
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String id) {
    up();
    return runtime.podSandboxStatus(id);
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    up();
    return runtime.listPodSandbox(filter);
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sbc) {
    up();
    String id = runtime.createContainer(sandboxId, config, sbc);
    configs.put(id, config);
    return id;
  }

  @Override
  public void startContainer(String id) {
    up();
    runtime.startContainer(id);
    List<String> cmd = configs.get(id).command();
    if (cmd.size() == 2 && cmd.get(0).equals("exit")) {
      int code = Integer.parseInt(cmd.get(1));
      runtime.exitContainer(id, code, code == 0 ? "Completed" : "Error");
    }
  }

  @Override
  public void stopContainer(String id, long timeoutSeconds) {
    up();
    runtime.stopContainer(id, timeoutSeconds);
  }

  @Override
  public void removeContainer(String id) {
    up();
    runtime.removeContainer(id);
    configs.remove(id);
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    up();
    return runtime.listContainers(filter);
  }

  @Override
  public ContainerStatus containerStatus(String id) {
    up();
    ContainerStatus s = runtime.containerStatus(id);
    return new ContainerStatus(
        s.id(),
        s.podSandboxId(),
        s.metadata(),
        s.state(),
        s.createdAt(),
        s.startedAt(),
        s.finishedAt(),
        s.exitCode(),
        s.image(),
        s.imageRef(),
        s.reason(),
        s.message(),
        s.labels(),
        s.annotations(),
        s.mounts(),
        configs.get(id).logPath(),
        s.resources(),
        s.state() == ContainerState.CONTAINER_RUNNING ? 4242 : 0);
  }

  @Override
  public void updateContainerResources(String id, LinuxContainerResources r) {
    up();
    runtime.updateContainerResources(id, r);
  }

  @Override
  public void reopenContainerLog(String id) {
    up();
  }

  @Override
  public ExecSyncResponse execSync(String id, List<String> cmd, Duration timeout) {
    up();
    int code =
        switch (cmd.getFirst()) {
          case "true" -> 0;
          case "false" -> 1;
          default -> execHandler.apply(cmd);
        };
    return new ExecSyncResponse(new byte[0], new byte[0], code);
  }

  @Override
  public StreamSession exec(ExecRequest request) {
    return runtime.exec(request);
  }

  @Override
  public StreamSession attach(AttachRequest request) {
    return runtime.attach(request);
  }

  @Override
  public PortForwardStream portForward(String sandboxId, int port) {
    return runtime.portForward(sandboxId, port);
  }

  @Override
  public ContainerStats containerStats(String id) {
    up();
    ContainerStats s = runtime.containerStats(id);
    return new ContainerStats(
        id, s.metadata(), s.timestamp(), cpuNanos, workingSetBytes, workingSetBytes, 0);
  }

  @Override
  public String pullImage(ImageSpec image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    up();
    pulls.add(image.image());
    if (image.image().contains("missing")) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.NOT_FOUND,
          "failed to resolve reference \"" + image.image() + "\": not found");
    }
    return runtime.pullImage(image, auth, sandboxConfig);
  }

  @Override
  public List<Image> listImages(ImageFilter filter) {
    up();
    return runtime.listImages(filter);
  }

  @Override
  public Optional<Image> imageStatus(ImageSpec image) {
    up();
    return runtime.imageStatus(image);
  }

  @Override
  public void removeImage(ImageSpec image) {
    up();
    runtime.removeImage(image);
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    up();
    return runtime.imageFsInfo();
  }
}
