package dev.skiff.runtime.runc;

import dev.skiff.runtime.AttachRequest;
import dev.skiff.runtime.Container;
import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerFilter;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeException;
import dev.skiff.runtime.ContainerStats;
import dev.skiff.runtime.ContainerStatus;
import dev.skiff.runtime.DnsConfig;
import dev.skiff.runtime.ExecRequest;
import dev.skiff.runtime.ExecSyncResponse;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.NamespaceMode;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandbox;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.PodSandboxState;
import dev.skiff.runtime.PodSandboxStatus;
import dev.skiff.runtime.PortForwardStream;
import dev.skiff.runtime.StreamSession;
import dev.skiff.runtime.cgroups.PodCgroups;
import dev.skiff.runtime.cgroups.QosClass;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.Snapshots;
import dev.skiff.runtime.oci.Namespaces;
import dev.skiff.runtime.oci.OciSpecs;
import dev.skiff.runtime.oci.SandboxSpecInput;
import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.os.Mounts;
import dev.skiff.runtime.os.NetworkNamespaces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runc runtime: each sandbox is a pause container holding the pod's network (a named netns
 * wired by CNI), IPC and UTS namespaces; containers join them by path. Records live on disk, so a
 * new instance over the same directories adopts what an earlier one started.
 */
public final class RuncRuntime implements ContainerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(RuncRuntime.class);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Executor NETWORK_SETUP = Executors.newVirtualThreadPerTaskExecutor();

  final RuncRuntimeConfig config;
  final Runc runc;
  final Monitor monitor;
  final ImageStore images;
  final Snapshots snapshots;
  final Mounts mounts = new Mounts();
  final NetworkNamespaces netns = new NetworkNamespaces();
  final RecordStore<SandboxRecord> sandboxStore;
  final RecordStore<ContainerRecord> containerStore;
  final Map<String, SandboxRecord> sandboxes = new ConcurrentHashMap<>();
  final Map<String, ContainerRecord> containers = new ConcurrentHashMap<>();
  final long minOomScoreAdj;
  private final Path pauseBinary;
  private final RuncContainers ctrs;
  private final RuncStreams streams;

  public RuncRuntime(RuncRuntimeConfig config, ImageStore images) {
    this.config = config;
    this.images = images;
    this.runc = new Runc(config.runcBinary(), config.runRoot().resolve("runc"));
    Path bin = config.root().resolve("bin");
    this.pauseBinary = NativeBinaries.install(NativeBinaries.PAUSE, bin);
    this.monitor = new Monitor(NativeBinaries.install(NativeBinaries.MONITOR, bin), runc);
    Command.useSpawnHelper(monitor.binary());
    this.snapshots = new Snapshots(config.root().resolve("snapshots"), mounts);
    this.sandboxStore =
        new RecordStore<>(config.root().resolve("sandboxes"), "sandbox.json", SandboxRecord.class);
    this.containerStore =
        new RecordStore<>(
            config.root().resolve("containers"), "container.json", ContainerRecord.class);
    try {
      Files.createDirectories(config.runRoot().resolve("attach"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sandboxStore.loadAll().forEach(s -> sandboxes.put(s.id(), s));
    containerStore.loadAll().forEach(c -> containers.put(c.id(), c));
    this.minOomScoreAdj = currentOomScoreAdj();
    this.ctrs = new RuncContainers(this);
    this.streams = new RuncStreams(this);
  }

  /** Lowering oom_score_adj below our own needs CAP_SYS_RESOURCE, which may be withheld. */
  private static long currentOomScoreAdj() {
    try {
      return Long.parseLong(Files.readString(Path.of("/proc/self/oom_score_adj")).trim());
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  static String newId() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  @Override
  public String runPodSandbox(PodSandboxConfig sb, String runtimeHandler) {
    String id = newId();
    Path dir = sandboxStore.dir(id);
    NamespaceOptions ns = sb.namespaceOptions();
    boolean hostNetwork = ns.network() == NamespaceMode.NODE;
    String cgroupParent =
        sb.linux().cgroupParent() == null || sb.linux().cgroupParent().isEmpty()
            ? PodCgroups.podCgroup(QosClass.BEST_EFFORT, sb.metadata().uid())
            : sb.linux().cgroupParent();
    String hostname =
        hostNetwork
            ? localHostname()
            : sb.hostname() == null || sb.hostname().isEmpty()
                ? sb.metadata().name()
                : sb.hostname();
    Path netnsPath = null;
    CompletableFuture<List<String>> network = CompletableFuture.completedFuture(List.of());
    long t0 = System.nanoTime();
    long[] networkDone = {t0};
    try {
      Files.createDirectories(dir.resolve("rootfs"));
      if (!hostNetwork) {
        Path nsPath = netns.create("skiff-" + id.substring(0, 16));
        netnsPath = nsPath;
        // CNI wires the namespace while runc starts the pause process that joins it.
        network =
            CompletableFuture.supplyAsync(
                () -> {
                  List<String> ips = config.network().setUp(id, nsPath.toString(), sb, dir).ips();
                  networkDone[0] = System.nanoTime();
                  return ips;
                },
                NETWORK_SETUP);
      }
      installPause(dir.resolve("rootfs/pause"));
      Namespaces namespaces =
          new Namespaces(
              hostNetwork ? Namespaces.HOST : netnsPath.toString(),
              ns.ipc() == NamespaceMode.NODE ? Namespaces.HOST : Namespaces.NEW,
              hostNetwork ? Namespaces.HOST : Namespaces.NEW,
              ns.pid() == NamespaceMode.NODE ? Namespaces.HOST : Namespaces.NEW);
      var spec =
          OciSpecs.sandbox(
              new SandboxSpecInput(
                  dir.resolve("rootfs").toString(),
                  "/pause",
                  hostname,
                  namespaces,
                  cgroupParent + "/" + id,
                  sb.linux().sysctls(),
                  0));
      Files.write(dir.resolve("config.json"), OciSpecs.toJson(spec));
      long tSpec = System.nanoTime();
      Monitor.Started started =
          monitor.create(
              new Monitor.Spec(
                  id,
                  dir,
                  dir.resolve("pid"),
                  dir.resolve("exit"),
                  null,
                  null,
                  null,
                  false,
                  false,
                  false,
                  true));
      long tPause = System.nanoTime();
      // Only the containers use these, so they are made while CNI may still be at work.
      Files.createDirectories(dir.resolve("shm"));
      Files.writeString(dir.resolve("hostname"), hostname + "\n");
      Files.writeString(dir.resolve("resolv.conf"), resolvConf(sb.dnsConfig()));
      if (ns.ipc() != NamespaceMode.NODE) {
        mounts.tmpfs(dir.resolve("shm"), "mode=1777,size=65536k,nosuid,nodev,noexec");
      }
      long tFiles = System.nanoTime();
      List<String> ips = awaitNetwork(network);
      Files.writeString(
          dir.resolve("hosts"), hosts(ips.isEmpty() ? null : ips.getFirst(), hostname));
      SandboxRecord rec =
          new SandboxRecord(
              id,
              sb,
              runtimeHandler == null ? "" : runtimeHandler,
              System.currentTimeMillis() * 1_000_000L,
              netnsPath == null ? "" : netnsPath.toString(),
              ips,
              cgroupParent,
              started.pid(),
              false);
      sandboxStore.save(id, rec);
      sandboxes.put(id, rec);
      if (LOG.isDebugEnabled()) {
        LOG.debug(
            "sandbox {} for {}: {} ms (bundle {}, pause {}, shm and files {}, network {} done at {})",
            id.substring(0, 12),
            sb.metadata().name(),
            millis(System.nanoTime() - t0),
            millis(tSpec - t0),
            millis(tPause - tSpec),
            millis(tFiles - tPause),
            hostNetwork ? "host" : "CNI",
            millis(networkDone[0] - t0));
      }
      return id;
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "sandbox {} for pod {}/{} failed; cleaning up",
          id,
          sb.metadata().namespace(),
          sb.metadata().name());
      try {
        runc.delete(id, true);
        boolean networkUp = awaitQuietly(network);
        if (networkUp && netnsPath != null) {
          config.network().tearDown(id, netnsPath.toString(), sb, dir);
        }
        if (netnsPath != null) netns.delete(netnsPath);
        mounts.unmount(dir.resolve("shm"));
        deleteTree(dir);
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      if (e instanceof ContainerRuntimeException cre) throw cre;
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INTERNAL,
          "cannot run sandbox for pod "
              + sb.metadata().namespace()
              + "/"
              + sb.metadata().name()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Hard-links the pause binary into a sandbox's read-only rootfs (copying only across
   * filesystems): a copy per pod costs as much I/O as the rest of its start.
   */
  private void installPause(Path target) throws IOException {
    try {
      Files.createLink(target, pauseBinary);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(
          pauseBinary,
          target,
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  private static List<String> awaitNetwork(CompletableFuture<List<String>> network) {
    try {
      return network.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  /** Waits for a network setup to settle; true when it succeeded (and so needs a teardown). */
  private static boolean awaitQuietly(CompletableFuture<List<String>> network) {
    try {
      network.join();
      return true;
    } catch (CompletionException | java.util.concurrent.CancellationException e) {
      return false;
    }
  }

  @Override
  public void stopPodSandbox(String id) {
    SandboxRecord rec = sandbox(id);
    for (ContainerRecord c : containers.values()) {
      if (c.sandboxId().equals(id)) ctrs.stop(c.id(), 0);
    }
    if (runc.state(id).map(s -> !s.status().equals("stopped")).orElse(false)) {
      runc.kill(id, "KILL", true);
      ctrs.waitForExit(sandboxStore.dir(id).resolve("exit"), Duration.ofSeconds(10));
    }
    if (!rec.netnsPath().isEmpty()) {
      config.network().tearDown(id, rec.netnsPath(), rec.config(), sandboxStore.dir(id));
      netns.delete(Path.of(rec.netnsPath()));
    }
    if (!rec.stopped()) {
      SandboxRecord stopped = rec.withStopped();
      sandboxStore.save(id, stopped);
      sandboxes.put(id, stopped);
    }
  }

  @Override
  public void removePodSandbox(String id) {
    if (!sandboxes.containsKey(id)) return;
    stopPodSandbox(id);
    for (ContainerRecord c : List.copyOf(containers.values())) {
      if (c.sandboxId().equals(id)) ctrs.remove(c.id());
    }
    runc.delete(id, true);
    Path dir = sandboxStore.dir(id);
    mounts.unmount(dir.resolve("shm"));
    deleteTree(dir);
    sandboxes.remove(id);
  }

  @Override
  public PodSandboxStatus podSandboxStatus(String id) {
    SandboxRecord r = sandbox(id);
    List<String> ips = r.ips() == null ? List.of() : r.ips();
    return new PodSandboxStatus(
        r.id(),
        r.config().metadata(),
        state(r),
        r.createdAt(),
        ips.isEmpty() ? "" : ips.getFirst(),
        ips.size() > 1 ? ips.subList(1, ips.size()) : List.of(),
        r.config().namespaceOptions(),
        r.netnsPath(),
        r.config().labels(),
        r.config().annotations(),
        r.runtimeHandler());
  }

  @Override
  public List<PodSandbox> listPodSandbox(PodSandboxFilter filter) {
    PodSandboxFilter f = filter == null ? PodSandboxFilter.ALL : filter;
    return sandboxes.values().stream()
        .map(
            r ->
                new PodSandbox(
                    r.id(),
                    r.config().metadata(),
                    state(r),
                    r.createdAt(),
                    r.config().labels(),
                    r.config().annotations(),
                    r.runtimeHandler()))
        .filter(s -> f.matches(s.id(), s.state(), s.labels()))
        .toList();
  }

  private PodSandboxState state(SandboxRecord r) {
    if (r.stopped()) return PodSandboxState.SANDBOX_NOTREADY;
    boolean running = runc.state(r.id()).map(s -> s.status().equals("running")).orElse(false);
    return running ? PodSandboxState.SANDBOX_READY : PodSandboxState.SANDBOX_NOTREADY;
  }

  SandboxRecord sandbox(String id) {
    SandboxRecord r = id == null ? null : sandboxes.get(id);
    if (r == null) throw ContainerRuntimeException.notFound("pod sandbox", id);
    return r;
  }

  /** The sandbox's directory, holding its hosts, resolv.conf, hostname and shm. */
  Path sandboxDir(String id) {
    return sandboxStore.dir(id);
  }

  @Override
  public String createContainer(
      String podSandboxId, ContainerConfig c, PodSandboxConfig sandboxConfig) {
    return ctrs.create(podSandboxId, c);
  }

  @Override
  public void startContainer(String id) {
    ctrs.start(id);
  }

  @Override
  public void stopContainer(String id, long timeoutSeconds) {
    ctrs.stop(id, timeoutSeconds);
  }

  @Override
  public void removeContainer(String id) {
    ctrs.remove(id);
  }

  @Override
  public List<Container> listContainers(ContainerFilter filter) {
    return ctrs.list(filter == null ? ContainerFilter.ALL : filter);
  }

  @Override
  public ContainerStatus containerStatus(String id) {
    return ctrs.status(id);
  }

  @Override
  public void updateContainerResources(String id, LinuxContainerResources resources) {
    ctrs.update(id, resources);
  }

  @Override
  public void reopenContainerLog(String id) {
    ctrs.reopenLog(id);
  }

  @Override
  public ExecSyncResponse execSync(String id, List<String> cmd, Duration timeout) {
    return ctrs.execSync(id, cmd, timeout);
  }

  @Override
  public StreamSession exec(ExecRequest request) {
    return streams.exec(request);
  }

  @Override
  public StreamSession attach(AttachRequest request) {
    return streams.attach(request);
  }

  @Override
  public PortForwardStream portForward(String podSandboxId, int port) {
    return streams.portForward(podSandboxId, port);
  }

  @Override
  public ContainerStats containerStats(String id) {
    return ctrs.stats(id);
  }

  static String resolvConf(DnsConfig dns) throws IOException {
    if (dns.servers().isEmpty() && dns.searches().isEmpty() && dns.options().isEmpty()) {
      Path host = Path.of("/etc/resolv.conf");
      return Files.exists(host) ? Files.readString(host) : "";
    }
    StringBuilder b = new StringBuilder();
    if (!dns.searches().isEmpty())
      b.append("search ").append(String.join(" ", dns.searches())).append('\n');
    for (String s : dns.servers()) b.append("nameserver ").append(s).append('\n');
    if (!dns.options().isEmpty())
      b.append("options ").append(String.join(" ", dns.options())).append('\n');
    return b.toString();
  }

  static String hosts(String ip, String hostname) {
    StringBuilder b =
        new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
    if (ip != null) b.append(ip).append('\t').append(hostname).append('\n');
    return b.toString();
  }

  private static String localHostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    } catch (IOException e) {
      return "localhost";
    }
  }

  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) return;
    try (var tree = Files.walk(dir)) {
      for (Path p : tree.sorted(java.util.Comparator.reverseOrder()).toList())
        Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
    }
  }
}
