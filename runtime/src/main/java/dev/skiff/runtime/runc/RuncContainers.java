package dev.skiff.runtime.runc;

import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerRuntimeException.Code;
import dev.skiff.runtime.ContainerState;
import dev.skiff.runtime.ContainerStats;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.ExecSyncResponse;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.NamespaceMode;
import dev.skiff.runtime.image.StoredImage;
import dev.skiff.runtime.oci.ContainerSpecInput;
import dev.skiff.runtime.oci.Namespaces;
import dev.skiff.runtime.oci.OciSpecs;
import dev.skiff.runtime.oci.ResolvedUser;
import dev.skiff.runtime.oci.SandboxFiles;
import dev.skiff.runtime.oci.UserResolver;
import dev.skiff.runtime.os.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Container lifecycle of the runc runtime. */
final class RuncContainers {
  private static final Logger LOG = LoggerFactory.getLogger(RuncContainers.class);
  private static final int MAX_MESSAGE = 4096;
  private final RuncRuntime rt;

  RuncContainers(RuncRuntime rt) {
    this.rt = rt;
  }

  String create(String sandboxId, ContainerConfig c) {
    SandboxRecord sb = rt.sandbox(sandboxId);
    if (sb.stopped()) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "pod sandbox " + sandboxId + " is stopped");
    }
    StoredImage img =
        rt.images
            .find(c.image().image())
            .orElseThrow(
                () ->
                    new ContainerRuntimeException(
                        Code.NOT_FOUND, "image \"" + c.image().image() + "\" not found"));
    String id = RuncRuntime.newId();
    Path dir = rt.containerStore.dir(id);
    long t0 = System.nanoTime();
    try {
      Files.createDirectories(dir);
      Path rootfs = rt.snapshots.prepare(id, rt.images.layerDirs(img));
      long tRootfs = System.nanoTime();
      LinuxContainerSecurityContext sc = c.linux().securityContext();
      ResolvedUser user =
          UserResolver.resolve(
              sc.runAsUsername() != null && !sc.runAsUsername().isEmpty()
                  ? sc.runAsUsername()
                  : img.config().user(),
              sc.runAsUser(),
              sc.runAsGroup(),
              sc.supplementalGroups(),
              readIfExists(rootfs.resolve("etc/passwd")),
              readIfExists(rootfs.resolve("etc/group")));
      Files.writeString(dir.resolve("termination-log"), "");
      Path sbDir = rt.sandboxDir(sandboxId);
      var sbNs = sb.config().namespaceOptions();
      String proc = "/proc/" + sb.pausePid() + "/ns/";
      boolean hostNetwork = sb.netnsPath().isEmpty();
      NamespaceMode pidMode =
          sc.namespaceOptions().pid() == NamespaceMode.CONTAINER && sbNs.pid() == NamespaceMode.POD
              ? NamespaceMode.POD
              : sc.namespaceOptions().pid();
      if (sbNs.pid() == NamespaceMode.NODE) pidMode = NamespaceMode.NODE;
      Namespaces ns =
          new Namespaces(
              hostNetwork ? Namespaces.HOST : sb.netnsPath(),
              sbNs.ipc() == NamespaceMode.NODE ? Namespaces.HOST : proc + "ipc",
              hostNetwork ? Namespaces.HOST : proc + "uts",
              switch (pidMode) {
                case NODE -> Namespaces.HOST;
                case POD -> proc + "pid";
                case TARGET -> targetPidNamespace(sc.namespaceOptions().targetId());
                default -> Namespaces.NEW;
              });
      SandboxFiles files =
          new SandboxFiles(
              sbDir.resolve("hosts").toString(),
              sbDir.resolve("resolv.conf").toString(),
              sbDir.resolve("hostname").toString(),
              sbNs.ipc() == NamespaceMode.NODE ? "/dev/shm" : sbDir.resolve("shm").toString(),
              dir.resolve("termination-log").toString());
      String cgroupPath = sb.cgroupParent() + "/" + id;
      String hostname = Files.readString(sbDir.resolve("hostname")).trim();
      var spec =
          OciSpecs.container(
              new ContainerSpecInput(
                  c,
                  img.config(),
                  rootfs.toString(),
                  files,
                  ns,
                  cgroupPath,
                  hostname,
                  Map.of(),
                  user,
                  rt.minOomScoreAdj));
      Files.write(dir.resolve("config.json"), OciSpecs.toJson(spec));
      String logDir = sb.config().logDirectory();
      Path logPath = null;
      if (c.logPath() != null && !c.logPath().isEmpty()) {
        var m = sb.config().metadata();
        // Without a directory from the kubelet, use upstream's layout under the log root.
        Path base =
            logDir == null || logDir.isEmpty()
                ? rt.config.logRoot().resolve(m.namespace() + "_" + m.name() + "_" + m.uid())
                : Path.of(logDir);
        logPath = base.resolve(c.logPath());
        Files.createDirectories(logPath.getParent());
      }
      long tSpec = System.nanoTime();
      Monitor.Started started =
          rt.monitor.create(
              new Monitor.Spec(
                  id,
                  dir,
                  dir.resolve("pid"),
                  dir.resolve("exit"),
                  logPath,
                  rt.config.cgroups().oomEventsFile(cgroupPath),
                  attachSocket(id),
                  c.stdin(),
                  c.stdinOnce(),
                  c.tty(),
                  false));
      long tCreated = System.nanoTime();
      ContainerRecord rec =
          new ContainerRecord(
              id,
              sandboxId,
              c,
              img.id(),
              System.currentTimeMillis() * 1_000_000L,
              logPath == null ? "" : logPath.toString(),
              cgroupPath,
              started.pid(),
              started.monitorPid(),
              c.linux().resources());
      rt.containerStore.save(id, rec);
      rt.containers.put(id, rec);
      rt.images.markUsed(img.id());
      LOG.debug(
          "container {} ({}) created: {} ms (rootfs {}, bundle {}, runc create {}, record {})",
          id.substring(0, 12),
          c.metadata().name(),
          RuncRuntime.millis(System.nanoTime() - t0),
          RuncRuntime.millis(tRootfs - t0),
          RuncRuntime.millis(tSpec - tRootfs),
          RuncRuntime.millis(tCreated - tSpec),
          RuncRuntime.millis(System.nanoTime() - tCreated));
      return id;
    } catch (IOException | RuntimeException e) {
      try {
        rt.runc.delete(id, true);
        rt.snapshots.remove(id);
        RuncRuntime.deleteTree(dir);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof ContainerRuntimeException cre) throw cre;
      throw new ContainerRuntimeException(
          Code.INTERNAL,
          "cannot create container " + c.metadata().name() + ": " + e.getMessage(),
          e);
    }
  }

  Path attachSocket(String id) {
    return rt.config.runRoot().resolve("attach").resolve(id);
  }

  void start(String id) {
    long t0 = System.nanoTime();
    ContainerRecord r = container(id);
    ContainerState state = state(r);
    if (state != ContainerState.CONTAINER_CREATED) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION,
          "container " + id + " is in state " + state + ", not CONTAINER_CREATED");
    }
    long startedAt = System.currentTimeMillis() * 1_000_000L;
    long tState = System.nanoTime();
    rt.runc.start(id);
    write(rt.containerStore.dir(id).resolve("started"), Long.toString(startedAt));
    LOG.debug(
        "container {} started: {} ms (state {})",
        id.substring(0, 12),
        RuncRuntime.millis(System.nanoTime() - t0),
        RuncRuntime.millis(tState - t0));
  }

  void stop(String id, long timeoutSeconds) {
    ContainerRecord r = container(id);
    ContainerState state = state(r);
    if (state == ContainerState.CONTAINER_EXITED || state == ContainerState.CONTAINER_UNKNOWN)
      return;
    Path exit = rt.containerStore.dir(id).resolve("exit");
    if (timeoutSeconds > 0 && state == ContainerState.CONTAINER_RUNNING) {
      rt.runc.kill(id, "TERM", false);
      if (waitForExit(exit, Duration.ofSeconds(timeoutSeconds))) return;
    }
    rt.runc.kill(id, "KILL", true);
    if (!waitForExit(exit, Duration.ofSeconds(15))) {
      throw new ContainerRuntimeException(
          Code.DEADLINE_EXCEEDED, "container " + id + " did not exit after SIGKILL");
    }
  }

  boolean waitForExit(Path exitFile, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(exitFile)) return true;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return Files.exists(exitFile);
  }

  void remove(String id) {
    ContainerRecord r = rt.containers.get(id);
    if (r == null) return;
    stop(id, 0);
    rt.runc.delete(id, true);
    rt.snapshots.remove(id);
    try {
      Files.deleteIfExists(attachSocket(id));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RuncRuntime.deleteTree(rt.containerStore.dir(id));
    rt.containers.remove(id);
  }

  ContainerState state(ContainerRecord r) {
    Path dir = rt.containerStore.dir(r.id());
    if (Files.exists(dir.resolve("exit"))) return ContainerState.CONTAINER_EXITED;
    Optional<Runc.State> s = rt.runc.state(r.id());
    if (s.isEmpty()) return ContainerState.CONTAINER_UNKNOWN;
    return switch (s.get().status()) {
      case "created" -> ContainerState.CONTAINER_CREATED;
      case "running", "paused" -> ContainerState.CONTAINER_RUNNING;
      default ->
          waitForExit(dir.resolve("exit"), Duration.ofSeconds(3))
              ? ContainerState.CONTAINER_EXITED
              : ContainerState.CONTAINER_UNKNOWN;
    };
  }

  ContainerStatus status(String id) {
    ContainerRecord r = container(id);
    Path dir = rt.containerStore.dir(id);
    ContainerState state = state(r);
    long startedAt = readLong(dir.resolve("started"));
    Optional<ExitInfo> exit = ExitInfo.read(dir.resolve("exit"));
    String reason = exit.map(ExitInfo::reason).orElse("");
    String message = "";
    if (exit.isPresent()) {
      message = readIfExists(dir.resolve("termination-log"));
      if (message == null) message = "";
      if (message.length() > MAX_MESSAGE) message = message.substring(0, MAX_MESSAGE);
    }
    return new ContainerStatus(
        id,
        r.sandboxId(),
        r.config().metadata(),
        state,
        r.createdAt(),
        startedAt,
        exit.map(ExitInfo::finishedAt).orElse(0L),
        exit.map(ExitInfo::exitCode).orElse(0),
        r.config().image(),
        r.imageId(),
        reason,
        message,
        r.config().labels(),
        r.config().annotations(),
        r.config().mounts(),
        r.logPath(),
        r.resources(),
        r.pid());
  }

  List<Container> list(ContainerFilter f) {
    return rt.containers.values().stream()
        .map(
            r ->
                new Container(
                    r.id(),
                    r.sandboxId(),
                    r.config().metadata(),
                    r.config().image(),
                    r.imageId(),
                    state(r),
                    r.createdAt(),
                    r.config().labels(),
                    r.config().annotations()))
        .filter(f::matches)
        .toList();
  }

  void update(String id, LinuxContainerResources res) {
    ContainerRecord r = container(id);
    Map<String, Object> body = new HashMap<>();
    if (res.memoryLimitInBytes() > 0) body.put("memory", Map.of("limit", res.memoryLimitInBytes()));
    Map<String, Object> cpu = new HashMap<>();
    if (res.cpuShares() > 0) cpu.put("shares", res.cpuShares());
    if (res.cpuQuota() != 0) cpu.put("quota", res.cpuQuota());
    if (res.cpuPeriod() > 0) cpu.put("period", res.cpuPeriod());
    if (!cpu.isEmpty()) body.put("cpu", cpu);
    try {
      rt.runc.update(id, body);
    } catch (Command.CommandException e) {
      throw new ContainerRuntimeException(Code.INTERNAL, e.getMessage());
    }
    ContainerRecord updated = r.withResources(res);
    rt.containerStore.save(id, updated);
    rt.containers.put(id, updated);
  }

  void reopenLog(String id) {
    ContainerRecord r = container(id);
    if (state(r) != ContainerState.CONTAINER_RUNNING) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "container " + id + " is not running");
    }
    String cmdline = readIfExists(Path.of("/proc/" + r.monitorPid() + "/cmdline"));
    if (cmdline == null || !cmdline.contains(id)) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "log writer of container " + id + " is gone");
    }
    Command.run(List.of("kill", "-USR1", Integer.toString(r.monitorPid())), Duration.ofSeconds(5))
        .check();
  }

  ExecSyncResponse execSync(String id, List<String> cmd, Duration timeout) {
    ContainerRecord r = container(id);
    if (state(r) != ContainerState.CONTAINER_RUNNING) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "container " + id + " is not running");
    }
    try {
      Command.Result res = rt.runc.exec(id, cmd, timeout.isZero() ? Duration.ofDays(1) : timeout);
      return new ExecSyncResponse(res.stdout(), res.stderr(), res.exitCode());
    } catch (Command.CommandException e) {
      throw new ContainerRuntimeException(Code.DEADLINE_EXCEEDED, e.getMessage());
    }
  }

  ContainerStats stats(String id) {
    ContainerRecord r = container(id);
    var cg = rt.config.cgroups();
    return new ContainerStats(
        id,
        r.config().metadata(),
        System.currentTimeMillis() * 1_000_000L,
        cg.cpuUsageNanos(r.cgroupPath()),
        cg.memoryUsageBytes(r.cgroupPath()),
        cg.memoryWorkingSetBytes(r.cgroupPath()),
        rt.snapshots.usage(id));
  }

  /** The PID namespace of a running container, for one that targets it (kubectl debug). */
  private String targetPidNamespace(String targetId) {
    ContainerRecord target = container(targetId);
    if (state(target) != ContainerState.CONTAINER_RUNNING) {
      throw new ContainerRuntimeException(
          Code.FAILED_PRECONDITION, "target container " + targetId + " is not running");
    }
    return "/proc/" + target.pid() + "/ns/pid";
  }

  ContainerRecord container(String id) {
    ContainerRecord r = id == null ? null : rt.containers.get(id);
    if (r == null) throw ContainerRuntimeException.notFound("container", id);
    return r;
  }

  private static String readIfExists(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static long readLong(Path p) {
    String s = readIfExists(p);
    try {
      return s == null ? 0 : Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void write(Path p, String s) {
    try {
      Files.writeString(p, s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
