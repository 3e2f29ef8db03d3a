package dev.skiff.runtime.fake;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.AuthConfig;
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
import dev.skiff.runtime.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;

/**
 * A runtime without processes for hollow nodes: state changes are instant and in memory, pod IPs
 * come from a counter in 10.88.0.0/16, images "pull" by name. Containers run until stopped or until
 * {@link #exitContainer} ends them; exec answers come from {@link #onExec}.
 */
public final class FakeRuntime implements ContainerRuntime, ImageService {
  private record Sandbox(
      String id,
      PodSandboxConfig config,
      String handler,
      long createdAt,
      String ip,
      PodSandboxState state) {}

  private record Ctr(
      String id,
      String sandboxId,
      ContainerConfig config,
      String imageRef,
      long createdAt,
      ContainerState state,
      long startedAt,
      long finishedAt,
      int exitCode,
      String reason,
      LinuxContainerResources resources) {
    Ctr with(ContainerState s, long started, long finished, int code, String why) {
      return new Ctr(
          id, sandboxId, config, imageRef, createdAt, s, started, finished, code, why, resources);
    }
  }

  private final Map<String, Sandbox> sandboxes = new ConcurrentHashMap<>();
  private final Map<String, Ctr> containers = new ConcurrentHashMap<>();
  private final Map<String, Image> images = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final AtomicLong ips = new AtomicLong(1);
  private volatile BiFunction<String, List<String>, ExecSyncResponse> exec =
      (id, cmd) -> new ExecSyncResponse(new byte[0], new byte[0], 0);

  /** Sets how ExecSync answers (probes of hollow pods succeed by default). */
  public void onExec(BiFunction<String, List<String>, ExecSyncResponse> handler) {
    this.exec = handler;
  }

  /** Makes a running container exit, as if its process ended with {@code exitCode}. */
  public void exitContainer(String id, int exitCode, String reason) {
    containers.computeIfPresent(
        id,
        (k, c) ->
            c.state() != ContainerState.CONTAINER_RUNNING
                ? c
                : c.with(ContainerState.CONTAINER_EXITED, c.startedAt(), now(), exitCode, reason));
  }

  private String newId() {
    return sha256(Long.toString(ids.incrementAndGet()) + System.nanoTime())
        .substring("sha256:".length());
  }

  private static long now() {
    return System.currentTimeMillis() * 1_000_000L;
  }

  @Override
  public String runPodSandbox(PodSandboxConfig config, String runtimeHandler) {
    String id = newId();
    long n = ips.getAndIncrement();
    String ip = "10.88." + (n / 254 % 256) + "." + (n % 254 + 1);
    sandboxes.put(
        id,
        new Sandbox(
            id,
            config,
            runtimeHandler == null ? "" : runtimeHandler,
            now(),
            ip,
            PodSandboxState.SANDBOX_READY));
    return id;
  }

  @Override
  public void stopPodSandbox(String id) {
    Sandbox s = sandbox(id);
    containers.values().stream()
        .filter(c -> c.sandboxId().equals(id))
        .forEach(c -> stopContainer(c.id(), 0));
    sandboxes.put(
        id,
        new Sandbox(
            s.id(),
            s.config(),
            s.handler(),
            s.createdAt(),
            s.ip(),
            PodSandboxState.SANDBOX_NOTREADY));
  }

  @Override
  public void removePodSandbox(String id) {
    if (!sandboxes.containsKey(id)) return;
    stopPodSandbox(id);
    containers.values().removeIf(c -> c.sandboxId().equals(id));
    sandboxes.remove(id);
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String id) {
    Sandbox s = sandbox(id);
    return new PodSandboxStatus(
        s.id(),
        s.config().metadata(),
        s.state(),
        s.createdAt(),
        s.ip(),
        List.of(),
        s.config().namespaceOptions(),
        "",
        s.config().labels(),
        s.config().annotations(),
        s.handler());
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
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
                    s.handler()))
        .toList();
  }

  @Override
  public String createContainer(
      String sandboxId, ContainerConfig config, PodSandboxConfig sandboxConfig) {
    Sandbox s = sandbox(sandboxId);
    if (s.state() != PodSandboxState.SANDBOX_READY) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "pod sandbox " + sandboxId + " is stopped");
    }
    Image img =
        imageStatus(config.image())
            .orElseThrow(
                () ->
                    new ContainerRuntimeException(
                        Code.NOT_FOUND, "image \"" + config.image().image() + "\" not found"));
    String id = newId();
    containers.put(
        id,
        new Ctr(
            id,
            sandboxId,
            config,
            img.id(),
            now(),
            ContainerState.CONTAINER_CREATED,
            0,
            0,
            0,
            "",
            config.linux().resources()));
    return id;
  }

  @Override
  public void startContainer(String id) {
    Ctr c = container(id);
    if (c.state() != ContainerState.CONTAINER_CREATED) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION,
          "container " + id + " is in state " + c.state() + ", not CONTAINER_CREATED");
    }
    containers.put(id, c.with(ContainerState.CONTAINER_RUNNING, now(), 0, 0, ""));
  }

  @Override
  public void stopContainer(String id, long timeoutSeconds) {
    Ctr c = container(id);
    if (c.state() == ContainerState.CONTAINER_RUNNING) exitContainer(id, 137, "Error");
    else if (c.state() == ContainerState.CONTAINER_CREATED) {
      containers.put(id, c.with(ContainerState.CONTAINER_EXITED, 0, now(), 0, "Error"));
    }
  }

  @Override
  public void removeContainer(String id) {
    containers.remove(id);
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    ContainerFilter f = filter == null ? ContainerFilter.ALL : filter;
    return containers.values().stream()
        .map(
            c ->
                new Container(
                    c.id(),
                    c.sandboxId(),
                    c.config().metadata(),
                    c.config().image(),
                    c.imageRef(),
                    c.state(),
                    c.createdAt(),
                    c.config().labels(),
                    c.config().annotations()))
        .filter(f::matches)
        .toList();
  }

  @Override
  public ContainerStatus containerStatus(String id) {
    Ctr c = container(id);
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
        c.imageRef(),
        c.reason(),
        "",
        c.config().labels(),
        c.config().annotations(),
        c.config().mounts(),
        "",
        c.resources(),
        0);
  }

  @Override
  public void updateContainerResources(String id, LinuxContainerResources resources) {
    Ctr c = container(id);
    containers.put(
        id,
        new Ctr(
            c.id(),
            c.sandboxId(),
            c.config(),
            c.imageRef(),
            c.createdAt(),
            c.state(),
            c.startedAt(),
            c.finishedAt(),
            c.exitCode(),
            c.reason(),
            resources));
  }

  @Override
  public void reopenContainerLog(String id) {
    running(id);
  }

  @Override
  public ExecSyncResponse execSync(String id, List<String> cmd, Duration timeout) {
    running(id);
    return exec.apply(id, cmd);
  }

  @Override
  public StreamSession exec(ExecRequest request) {
    running(request.containerId());
    throw noStreams();
  }

  @Override
  public StreamSession attach(AttachRequest request) {
    running(request.containerId());
    throw noStreams();
  }

  @Override
  public PortForwardStream portForward(String podSandboxId, int port) {
    sandbox(podSandboxId);
    throw noStreams();
  }

  @Override
  public ContainerStats containerStats(String id) {
    Ctr c = container(id);
    return new ContainerStats(id, c.config().metadata(), now(), 0, 0, 0, 0);
  }

  @Override
  public String pullImage(ImageSpec image, AuthConfig auth, PodSandboxConfig sandboxConfig) {
    ImageReference ref = ImageReference.parse(image.image());
    String key = ref.toString();
    Image img =
        images.computeIfAbsent(
            key,
            k ->
                new Image(
                    sha256(k),
                    ref.tag() == null ? List.of() : List.of(ref.tagged()),
                    ref.digest() == null ? List.of() : List.of(ref.digested()),
                    0,
                    0L,
                    null,
                    false));
    return img.id();
  }

  @Override
  public List<Image> listImages(ImageFilter filter) {
    if (filter == null || filter.image() == null) return List.copyOf(images.values());
    return imageStatus(filter.image()).map(List::of).orElse(List.of());
  }

  @Override
  public Optional<Image> imageStatus(ImageSpec image) {
    String ref = image.image();
    for (Image img : images.values()) {
      if (img.id().equals(ref) || img.id().equals("sha256:" + ref)) return Optional.of(img);
    }
    if (ImageReference.isId(ref)) return Optional.empty();
    return Optional.ofNullable(images.get(ImageReference.parse(ref).toString()));
  }

  @Override
  public void removeImage(ImageSpec image) {
    imageStatus(image).ifPresent(img -> images.values().removeIf(i -> i.id().equals(img.id())));
  }

  @Override
  public List<FilesystemUsage> imageFsInfo() {
    return List.of(new FilesystemUsage(now(), "/fake/images", 0, images.size()));
  }

  private Sandbox sandbox(String id) {
    Sandbox s = id == null ? null : sandboxes.get(id);
    if (s == null) throw ContainerRuntimeException.notFound("pod sandbox", id);
    return s;
  }

  private Ctr container(String id) {
    Ctr c = id == null ? null : containers.get(id);
    if (c == null) throw ContainerRuntimeException.notFound("container", id);
    return c;
  }

  private void running(String id) {
    if (container(id).state() != ContainerState.CONTAINER_RUNNING) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "container " + id + " is not running");
    }
  }

  private static ContainerRuntimeException noStreams() {
    return new ContainerRuntimeException(
        Code.UNAVAILABLE, "the fake runtime runs no processes to stream from");
  }

  private static String sha256(String s) {
    try {
      return "sha256:"
          + HexFormat.of()
              .formatHex(
                  MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
