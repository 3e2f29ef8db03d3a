package dev.skiff.kubelet.e2e;

import static dev.skiff.kubelet.testing.TestPods.ready;
import static dev.skiff.kubelet.testing.TestPods.sleeper;
import static dev.skiff.kubelet.testing.TestPods.withApp;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.testing.TestCluster;
import dev.skiff.runtime.PodSandboxFilter;
import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cni.CniNetworkConfig;
import dev.skiff.runtime.cni.CniPlugins;
import dev.skiff.runtime.cni.CniPodNetwork;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.LayerUnpacker;
import dev.skiff.runtime.image.LocalImageService;
import dev.skiff.runtime.image.RegistryClient;
import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.os.Mounts;
import dev.skiff.runtime.runc.RuncRuntime;
import dev.skiff.runtime.runc.RuncRuntimeConfig;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A busybox pod on real runc containers, through the API server and the kubelet: it runs, gets
 * Ready, and logs under /var/log/pods. Root only. Everything made (pod, containers, mounts,
 * cgroups, netns, bridge, logs) is removed afterwards, also on failure.
 */
class RuncPodTest {
  static final String BRIDGE = "skiff-kt0";
  static final String CIDR = "10.244.251.0/24";
  static final Path POD_LOGS = Path.of("/var/log/pods");

  private Path root;
  private Path runRoot;
  private RuncRuntime runtime;
  private TestCluster cluster;
  private final List<Path> logDirs = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for runc");
    Path archive = Path.of("target/test-images/busybox.tar").toAbsolutePath();
    if (!Files.exists(archive)) {
      Files.createDirectories(archive.getParent());
      Command.run(
              List.of(
                  "bash",
                  Path.of("../.ci/busybox-image.sh").toAbsolutePath().normalize().toString(),
                  archive.toString()),
              Duration.ofMinutes(2))
          .check();
    }
    root = Files.createTempDirectory("skiff-kubelet-e2e");
    runRoot = Path.of("/run/skiff-kt-" + UUID.randomUUID().toString().substring(0, 8));
    ImageStore store = new ImageStore(root.resolve("images"), new LayerUnpacker());
    var images = new LocalImageService(store, new RegistryClient(), p -> {});
    images.importArchive(archive);
    var network =
        new CniPodNetwork(
            new CniPlugins(List.of(Path.of("/usr/lib/cni"))),
            CniNetworkConfig.bridge("skiff-kt", BRIDGE, CIDR, root.resolve("ipam")));
    runtime =
        new RuncRuntime(
            new RuncRuntimeConfig(
                root.resolve("runtime"),
                runRoot,
                root.resolve("logs"),
                "runc",
                network,
                Cgroups.host()),
            store);
    cluster = new TestCluster("node-e2e", runtime, images, POD_LOGS);
    cluster.startKubelet();
  }

  @AfterEach
  void cleanup() throws Exception {
    List<Throwable> errors = new ArrayList<>();
    Runnable[] steps = {
      () -> {
        if (cluster != null) cluster.close();
      },
      () -> {
        if (runtime != null) {
          for (var sb : runtime.listPodSandbox(PodSandboxFilter.ALL)) {
            runtime.removePodSandbox(sb.id());
          }
        }
      },
      () -> {
        for (Path d : logDirs) {
          Command.run(List.of("rm", "-rf", d.toString()), Duration.ofSeconds(30));
        }
      },
      () -> Command.run(List.of("ip", "link", "delete", BRIDGE), Duration.ofSeconds(10)),
      () -> {
        if (root == null) return;
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
          Mounts mounts = new Mounts();
          for (String m :
              lines
                  .map(l -> l.split(" ")[4])
                  .filter(p -> p.startsWith(root.toString()))
                  .sorted(Comparator.reverseOrder())
                  .toList()) {
            mounts.unmount(Path.of(m));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
        Command.run(
            List.of("rm", "-rf", "--one-file-system", root.toString(), runRoot.toString()),
            Duration.ofSeconds(60));
      }
    };
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (RuntimeException | Error e) {
        errors.add(e);
      }
    }
    if (!errors.isEmpty()) {
      AssertionError e = new AssertionError("cleanup failed");
      errors.forEach(e::addSuppressed);
      throw e;
    }
  }

  @Test
  void busyboxPodRunsGetsReadyAndLogs() throws Exception {
    Pod p =
        cluster.create(
            withApp(
                sleeper("bb", "node-e2e")
                    .editSpec()
                    .withTerminationGracePeriodSeconds(2L)
                    .endSpec(),
                c ->
                    c.withImage("busybox:1.35")
                        .withImagePullPolicy("IfNotPresent")
                        .withCommand("sh", "-c", "echo hello from skiff; exec sleep 3600")
                        .withNewReadinessProbe()
                        .withNewExec()
                        .withCommand("true")
                        .endExec()
                        .withPeriodSeconds(1)
                        .endReadinessProbe()));
    Path log = cluster.containerLog(p, "app");
    logDirs.add(log.getParent().getParent());
    p = cluster.awaitPod("bb", x -> "Running".equals(x.getStatus().getPhase()) && ready(x));
    assertTrue(p.getStatus().getPodIP().startsWith("10.244.251."));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Files.exists(log) && Files.readString(log).contains("hello from skiff"));

    cluster.client().pods().inNamespace("default").withName("bb").delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.pod("bb") == null);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> runtime.listPodSandbox(PodSandboxFilter.ALL).isEmpty());
    assertEquals(0, runtime.listContainers(null).size());
    String podCgroup = "/kubepods/besteffort/pod" + p.getMetadata().getUid();
    await().atMost(Duration.ofSeconds(10)).until(() -> !Cgroups.host().exists(podCgroup));
  }
}
