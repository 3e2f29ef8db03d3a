package dev.skiff.bench;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cgroups.PodCgroups;
import dev.skiff.runtime.cgroups.QosClass;
import dev.skiff.runtime.cni.CniNetworkConfig;
import dev.skiff.runtime.cni.CniPlugins;
import dev.skiff.runtime.cni.CniPodNetwork;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.LayerUnpacker;
import dev.skiff.runtime.image.Snapshots;
import dev.skiff.runtime.image.StoredImage;
import dev.skiff.runtime.oci.ContainerSpecInput;
import dev.skiff.runtime.oci.Namespaces;
import dev.skiff.runtime.oci.OciSpecs;
import dev.skiff.runtime.oci.ResolvedUser;
import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.os.Mounts;
import dev.skiff.runtime.runc.Runc;
import dev.skiff.runtime.runc.RuncRuntime;
import dev.skiff.runtime.runc.RuncRuntimeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pod start latency of the runc runtime: {@code ./skiff bench runtime [--image busybox.tar]
 * [--rounds N]} (as root). Measures sandbox + one container (image present) for 1 pod at a time and
 * for 30 concurrent pods, next to plain {@code runc run -d} of the same container bundle in the
 * same run, with the CPU time each takes (processes included). Pods use a throwaway bridge {@code
 * skiff-bench0} on 10.244.252.0/24.
 */
public final class RuntimeBenchmark {
  private static final int CONCURRENT = 30;
  private static final int WARMUP = 5;
  private static final Duration T = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    Path image = null;
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--image" -> image = Path.of(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: RuntimeBenchmark [--image busybox.tar] [--rounds N]");
          System.exit(2);
        }
      }
    }
    Path root = Files.createTempDirectory("skiff-bench-runtime");
    Path run = Path.of("/run/skiff-bench-" + UUID.randomUUID().toString().substring(0, 6));
    if (image == null) {
      image = root.resolve("busybox.tar");
      Command.run(
              List.of(
                  "bash",
                  Path.of(".ci/busybox-image.sh").toAbsolutePath().toString(),
                  image.toString()),
              T)
          .check();
    }
    ImageStore images = new ImageStore(root.resolve("images"), new LayerUnpacker());
    StoredImage busybox = images.importArchive(image).getFirst();
    var network =
        CniPodNetwork.portMappingOnlyForHostPorts(
            new CniPlugins(List.of(Path.of("/usr/lib/cni"))),
            CniNetworkConfig.bridge(
                "skiff-bench", "skiff-bench0", "10.244.252.0/24", root.resolve("ipam")));
    // Before the runtime, so that the helper process it starts programs through is counted too.
    RuntimeBenchmarkCpu cpu = new RuntimeBenchmarkCpu();
    RuncRuntime runtime =
        new RuncRuntime(
            new RuncRuntimeConfig(
                root.resolve("runtime"),
                run,
                root.resolve("logs"),
                "runc",
                network,
                Cgroups.host()),
            images);
    Snapshots snapshots = new Snapshots(root.resolve("baseline"), new Mounts());
    Runc runc = new Runc("runc", run.resolve("baseline"));
    try {
      long[] baselineCpu = {0};
      List<Long> baseline =
          baseline(runc, snapshots, images, busybox, root.resolve("bundle"), 20, cpu, baselineCpu);
      // A kubelet's runtime runs for long: its first pod starts (class loading, JIT) are not
      // counted.
      for (int i = 0; i < WARMUP; i++) startPod(runtime, "warmup-" + i, new ArrayList<>());
      removeAll(runtime);
      List<Long> single = new ArrayList<>();
      List<Long> sandboxOnly = new ArrayList<>();
      long singleCpu = -cpu.usedNanos();
      for (int i = 0; i < 20; i++) single.add(startPod(runtime, "single-" + i, sandboxOnly));
      singleCpu += cpu.usedNanos();
      removeAll(runtime);
      List<Long> concurrent = Collections.synchronizedList(new ArrayList<>());
      long concurrentCpu = 0;
      try (ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT)) {
        for (int r = 0; r < rounds; r++) {
          List<Future<Long>> starts = new ArrayList<>();
          concurrentCpu -= cpu.usedNanos();
          for (int i = 0; i < CONCURRENT; i++) {
            String name = "c" + r + "-" + i;
            starts.add(pool.submit(() -> startPod(runtime, name, new ArrayList<>())));
          }
          for (Future<Long> f : starts) concurrent.add(f.get());
          concurrentCpu += cpu.usedNanos();
          removeAll(runtime);
        }
      }
      System.out.printf("%-44s %8s %8s %6s %8s%n", "runtime (ms)", "p50", "p99", "n", "cpu/pod");
      report("plain runc run -d (same bundle)", baseline, baselineCpu[0]);
      report("pod start, 1 at a time", single, singleCpu);
      report("  of which sandbox (netns, CNI, pause)", sandboxOnly, -1);
      report("pod start, " + CONCURRENT + " concurrent", concurrent, concurrentCpu);
      System.out.printf(
          "p50 ratio (1 pod / plain runc): %.2fx; load average %s%n",
          (double) pct(single, 50) / pct(baseline, 50),
          Files.readString(Path.of("/proc/loadavg")).trim());
    } finally {
      removeAll(runtime);
      snapshots.remove("baseline");
      Command.run(List.of("ip", "link", "delete", "skiff-bench0"), T);
      Command.run(List.of("rm", "-rf", "--one-file-system", root.toString(), run.toString()), T);
      cpu.close();
    }
  }

  /**
   * Sandbox + one container, created and started; returns nanoseconds (sandbox part added to the
   * list).
   */
  static long startPod(RuncRuntime runtime, String name, List<Long> sandboxTimes) {
    PodSandboxConfig pod =
        new PodSandboxConfig(
            new PodSandboxMetadata(name, UUID.randomUUID().toString(), "bench", 0),
            name,
            null,
            null,
            null,
            Map.of("bench", "runtime"),
            null,
            null);
    long t0 = System.nanoTime();
    String sb = runtime.runPodSandbox(pod, null);
    sandboxTimes.add(System.nanoTime() - t0);
    String c =
        runtime.createContainer(
            sb, ContainerConfig.of("app", "busybox:1.35", List.of("sleep", "3600")), pod);
    runtime.startContainer(c);
    return System.nanoTime() - t0;
  }

  /** Removes every pod, and its pod cgroup as the kubelet does. */
  static void removeAll(RuncRuntime runtime) {
    for (var sb : runtime.listPodSandbox(null)) {
      runtime.removePodSandbox(sb.id());
      Cgroups.host().remove(PodCgroups.podCgroup(QosClass.BEST_EFFORT, sb.metadata().uid()));
    }
  }

  /**
   * runc run -d of the same image rootfs and process, in fresh namespaces, with no pod around it.
   */
  static List<Long> baseline(
      Runc runc,
      Snapshots snapshots,
      ImageStore images,
      StoredImage img,
      Path bundle,
      int n,
      RuntimeBenchmarkCpu cpu,
      long[] cpuNanos)
      throws Exception {
    Path rootfs = snapshots.prepare("baseline", images.layerDirs(img));
    Files.createDirectories(bundle);
    var spec =
        OciSpecs.container(
            new ContainerSpecInput(
                ContainerConfig.of("app", "busybox:1.35", List.of("sleep", "3600")),
                img.config(),
                rootfs.toString(),
                null,
                new Namespaces(Namespaces.NEW, Namespaces.NEW, Namespaces.NEW, Namespaces.NEW),
                "/skiff-bench/baseline",
                "baseline",
                Map.of(),
                ResolvedUser.ROOT,
                0));
    Files.write(bundle.resolve("config.json"), OciSpecs.toJson(spec));
    List<Long> out = new ArrayList<>();
    Cgroups cgroups = Cgroups.host();
    long cpu0 = cpu.usedNanos() + cgroups.cpuUsageNanos("/skiff-bench");
    for (int i = 0; i < n; i++) {
      String id = "skiff-bench-" + i;
      long t0 = System.nanoTime();
      // The detached container keeps runc's stdio, so give it none to hold.
      Process p =
          new ProcessBuilder(runc.command("run", "-d", "--bundle", bundle.toString(), id))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (p.waitFor() != 0) throw new IllegalStateException("runc run failed for " + id);
      out.add(System.nanoTime() - t0);
      // The container's cpu (its init's setup) counts; its deletion does not.
      long before = cpu.usedNanos() + cgroups.cpuUsageNanos("/skiff-bench");
      runc.delete(id, true);
      cpu0 += cpu.usedNanos() + cgroups.cpuUsageNanos("/skiff-bench") - before;
    }
    cpuNanos[0] = cpu.usedNanos() + cgroups.cpuUsageNanos("/skiff-bench") - cpu0;
    cgroups.remove("/skiff-bench");
    return out;
  }

  static long pct(List<Long> samples, int p) {
    List<Long> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  /** A line of the table; {@code cpuNanos} is the phase's total (negative: not measured). */
  static void report(String what, List<Long> samples, long cpuNanos) {
    System.out.printf(
        "%-44s %8.1f %8.1f %6d %8s%n",
        what,
        pct(samples, 50) / 1e6,
        pct(samples, 99) / 1e6,
        samples.size(),
        cpuNanos < 0 ? "" : String.format("%.1f", cpuNanos / 1e6 / samples.size()));
  }

  private RuntimeBenchmark() {}
}
