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
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.PodSandboxStatus;
import dev.skiff.runtime.PortForwardStream;
import dev.skiff.runtime.StreamSession;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An in-memory runtime: containers "run" until the test ends them. A container whose command is
 * {@code ["exit", "N"]} exits with N as soon as it starts; {@code exec} answers {@code ["true"]}
 * and {@code ["false"]}, and what {@link #execHandler} says for anything else.
 */
public final class FakeRuntime implements ContainerRuntime, ImageService {
  private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final Map<String, Ctr> containers = new ConcurrentHashMap<>();
  private final Map<String, Image> images = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  public volatile boolean down;
  public volatile Function<List<String>, Integer> execHandler = cmd -> 126;
  public final List<String> pulls = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** What containerStats reports for every container: cpu core-nanoseconds, working set bytes. */
  public volatile long cpuNanos;

  public volatile long workingSetBytes;

  private record Sandbox(
      String id, PodSandboxConfig config, long createdAt, PodSandboxState state) {}

  private record Ctr(
      String id,
      String sandboxId,
      ContainerConfig config,
      ContainerState state,
      long createdAt,
      long startedAt,
      long finishedAt,
      int exitCode,
      String reason) {
    Ctr with(ContainerState s, long started, long finished, int code, String why) {
      return new Ctr(id, sandboxId, config, s, createdAt, started, finished, code, why);
    }
  }

  private void up() {
    if (down) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.UNAVAILABLE, "fake runtime is down");
    }
  }

  private static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  /** Ends a running container of the pod with {@code exitCode}, as if its process exited. */
  public void exit(String podName, String containerName, int exitCode) {
    for (Ctr c : containers.values()) {
      Sandbox sb = sandboxes.get(c.sandboxId());
      if (sb != null
          && sb.config().metadata().name().equals(podName)
          && c.config().metadata().name().equals(containerName)
          && c.state() == ContainerState.CONTAINER_RUNNING) {
        containers.put(
            c.id(),
            c.with(
                ContainerState.CONTAINER_EXITED,
                c.startedAt(),
                now(),
                exitCode,
                exitCode == 0 ? "Completed" : "Error"));
        return;
      }
    }
    throw new AssertionError("no running container " + containerName + " in pod " + podName);
  }

  /** Containers of a pod by name, in creation order (all attempts). */
  public List<ContainerStatus> containersOf(String podName) {
    List<ContainerStatus> out = new ArrayList<>();
    for (Ctr c : containers.values()) {
      Sandbox sb = sandboxes.get(c.sandboxId());
      if (sb != null && sb.config().metadata().name().equals(podName)) {
        out.add(containerStatus(c.id()));
      }
    }
    out.sort(java.util.Comparator.comparingLong(ContainerStatus::createdAt));
    return out;
  }

  public int sandboxCount() {
    return sandboxes.size();
  }

  public int containerCount() {
    return containers.size();
  }

  public ContainerConfig configOf(String containerId) {
    return containers.get(containerId).config();
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    up();
    String id = "sb" + ids.incrementAndGet();
    sandboxes.put(id, new Sandbox(id, config, now(), PodSandboxState.SANDBOX_READY));
    return id;
  }

  @Override
  public void stopPodSandbox(String id) {
    up();
    Sandbox sb = sandboxes.get(id);
    if (sb == null) {
      return;
    }
    for (Ctr c : containers.values()) {
      if (c.sandboxId().equals(id) && c.state() == ContainerState.CONTAINER_RUNNING) {
        containers.put(
            c.id(), c.with(ContainerState.CONTAINER_EXITED, c.startedAt(), now(), 137, "Error"));
      }
    }
    sandboxes.put(
        id, new Sandbox(id, sb.config(), sb.createdAt(), PodSandboxState.SANDBOX_NOTREADY));
  }

  @Override
  public void removePodSandbox(String id) {
    up();
    containers.values().removeIf(c -> c.sandboxId().equals(id));
    sandboxes.remove(id);
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String id) {
    up();
    Sandbox sb = sandboxes.get(id);
    if (sb == null) {
      throw ContainerRuntimeException.notFound("sandbox", id);
    }
    return new PodSandboxStatus(
        id,
        sb.config().metadata(),
        sb.state(),
        sb.createdAt(),
        "10.42.0." + (10 + Integer.parseInt(id.substring(2))),
        List.of(),
        sb.config().namespaceOptions(),
        null,
        sb.config().labels(),
        sb.config().annotations(),
        null);
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    up();
    PodSandboxFilter f = filter == null ? PodSandboxFilter.ALL : filter;
    return sandboxes.values().stream()
        .filter(s -> f.matches(s.id(), s.state(), s.config().labels()))
        .map(
            s ->
                new PodSandbox(
                    s.id(),
                    s.config().metadata(),
                    s.state(),
                    s.createdAt(),
                    s.config().labels(),
                    s.config().annotations(),
                    null))
        .toList();
  }

  @Override
  public String createContainer(String sandboxId, ContainerConfig config, PodSandboxConfig sbc) {
    up();
    if (!sandboxes.containsKey(sandboxId)) {
      throw ContainerRuntimeException.notFound("sandbox", sandboxId);
    }
    if (!images.containsKey(config.image().image())) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.NOT_FOUND, "image not pulled: " + config.image().image());
    }
    String id = "c" + ids.incrementAndGet();
    containers.put(
        id, new Ctr(id, sandboxId, config, ContainerState.CONTAINER_CREATED, now(), 0, 0, 0, null));
    return id;
  }

  @Override
  public void startContainer(String id) {
    up();
    Ctr c = containers.get(id);
    if (c == null) {
      throw ContainerRuntimeException.notFound("container", id);
    }
    List<String> cmd = c.config().command();
    if (cmd.size() == 2 && cmd.get(0).equals("exit")) {
      int code = Integer.parseInt(cmd.get(1));
      long t = now();
      containers.put(
          id,
          c.with(ContainerState.CONTAINER_EXITED, t, t, code, code == 0 ? "Completed" : "Error"));
      return;
    }
    containers.put(id, c.with(ContainerState.CONTAINER_RUNNING, now(), 0, 0, null));
  }

  @Override
  public void stopContainer(String id, long timeoutSeconds) {
    up();
    Ctr c = containers.get(id);
    if (c != null && c.state() == ContainerState.CONTAINER_RUNNING) {
      containers.put(
          id, c.with(ContainerState.CONTAINER_EXITED, c.startedAt(), now(), 143, "Error"));
    }
  }

  @Override
  public void removeContainer(String id) {
    up();
    containers.remove(id);
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    up();
    ContainerFilter f = filter == null ? ContainerFilter.ALL : filter;
    return containers.values().stream()
        .map(
            c ->
                new Container(
                    c.id(),
                    c.sandboxId(),
                    c.config().metadata(),
                    c.config().image(),
                    "sha256:" + c.config().image().image(),
                    c.state(),
                    c.createdAt(),
                    c.config().labels(),
                    c.config().annotations()))
        .filter(f::matches)
        .toList();
  }

  @Override
  public ContainerStatus containerStatus(String id) {
    up();
    Ctr c = containers.get(id);
    if (c == null) {
      throw ContainerRuntimeException.notFound("container", id);
    }
    return new ContainerStatus(
        c.id(),
        c.sandboxId(),
        c.config().metadata(),
        c.state(),
        c.createdAt(),
        c.startedAt(),
        c.finishedAt(),
        c.exitCode(),
        c.config().image(),
        "sha256:" + c.config().image().image(),
        c.reason(),
        null,
        c.config().labels(),
        c.config().annotations(),
        c.config().mounts(),
        c.config().logPath(),
        null,
        c.state() == ContainerState.CONTAINER_RUNNING ? 4242 : 0);
  }

  @Override
  public void updateContainerResources(String id, LinuxContainerResources r) {
    up();
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
    return new ExecSyncResponse(
        "".getBytes(StandardCharsets.UTF_8), "".getBytes(StandardCharsets.UTF_8), code);
  }

  @Override
  public StreamSession exec(ExecRequest request) {
    throw new ContainerRuntimeException(
        ContainerRuntimeException.Code.FAILED_PRECONDITION, "fake runtime has no streams");
  }

  @Override
  public StreamSession attach(AttachRequest request) {
    throw new ContainerRuntimeException(
        ContainerRuntimeException.Code.FAILED_PRECONDITION, "fake runtime has no streams");
  }

  @Override
  public PortForwardStream portForward(String sandboxId, int port) {
    throw new ContainerRuntimeException(
        ContainerRuntimeException.Code.FAILED_PRECONDITION, "fake runtime has no streams");
  }

  @Override
  public ContainerStats containerStats(String id) {
    up();
    Ctr c = containers.get(id);
    return new ContainerStats(
        id, c.config().metadata(), now(), cpuNanos, workingSetBytes, workingSetBytes, 0);
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
    Image img =
        new Image(
            "sha256:" + image.image(),
            List.of(image.image()),
            List.of(),
            1_000_000,
            null,
            null,
            false);
    images.put(image.image(), img);
    return img.id();
  }

  @Override
  public List<Image> listImages(ImageFilter filter) {
    up();
    return List.copyOf(images.values());
  }

  @Override
  public Optional<Image> imageStatus(ImageSpec image) {
    up();
    return Optional.ofNullable(images.get(image.image()));
  }

  @Override
  public void removeImage(ImageSpec image) {
    up();
    images.remove(image.image());
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    return List.of();
  }
}
