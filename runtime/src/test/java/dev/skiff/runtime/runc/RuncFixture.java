package dev.skiff.runtime.runc;

import dev.skiff.runtime.ContainerConfig;
import dev.skiff.runtime.ContainerMetadata;
import dev.skiff.runtime.ImageSpec;
import dev.skiff.runtime.LinuxContainerConfig;
import dev.skiff.runtime.LinuxContainerResources;
import dev.skiff.runtime.LinuxContainerSecurityContext;
import dev.skiff.runtime.LinuxPodSandboxConfig;
import dev.skiff.runtime.LinuxSandboxSecurityContext;
import dev.skiff.runtime.Mount;
import dev.skiff.runtime.NamespaceOptions;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.PortMapping;
import dev.skiff.runtime.TestHost;
import dev.skiff.runtime.TestImages;
import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cgroups.PodCgroups;
import dev.skiff.runtime.cgroups.QosClass;
import dev.skiff.runtime.cni.CniNetworkConfig;
import dev.skiff.runtime.cni.CniPlugins;
import dev.skiff.runtime.cni.CniPodNetwork;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.LayerUnpacker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A real runc runtime on a throwaway root, run dir and test bridge ({@code skiff-test0} on
 * 10.244.250.0/24), and the teardown that removes every sandbox, mount, cgroup, netns, iptables
 * chain and the bridge it made, whatever the test did.
 */
final class RuncFixture implements AutoCloseable {
  static final String BRIDGE = "skiff-test0";
  static final String CIDR = "10.244.250.0/24";

  final Path root;
  final Path runRoot;
  final ImageStore images;
  final Cgroups cgroups = Cgroups.host();
  final RuncRuntimeConfig config;
  final RuncRuntime runtime;
  final List<String> podCgroups = new ArrayList<>();

  RuncFixture() throws Exception {
    TestImages.assumeRoot();
    root = Files.createTempDirectory("skiff-runtime-test");
    runRoot = Path.of("/run/skiff-t-" + UUID.randomUUID().toString().substring(0, 8));
    images = new ImageStore(root.resolve("images"), new LayerUnpacker());
    images.importArchive(TestImages.busyboxArchive());
    var network =
        new CniPodNetwork(
            new CniPlugins(List.of(Path.of("/usr/lib/cni"))),
            CniNetworkConfig.bridge("skiff-test", BRIDGE, CIDR, root.resolve("ipam")));
    config =
        new RuncRuntimeConfig(
            root.resolve("runtime"), runRoot, root.resolve("logs"), "runc", network, cgroups);
    runtime = new RuncRuntime(config, images);
  }

  /** A pod in its own Burstable pod cgroup (created here, removed on close). */
  PodSandboxConfig pod(String name, NamespaceOptions ns, List<PortMapping> ports) {
    String uid = UUID.randomUUID().toString();
    String cgroup = PodCgroups.podCgroup(QosClass.BURSTABLE, uid);
    cgroups.apply(
        cgroup, new LinuxContainerResources(100_000, 0, 1024, 0, 0, null, null, 1024, null));
    podCgroups.add(cgroup);
    return new PodSandboxConfig(
        new PodSandboxMetadata(name, uid, "default", 0),
        name,
        root.resolve("logs").resolve("default_" + name + "_" + uid).toString(),
        null,
        ports,
        Map.of("app", name),
        null,
        new LinuxPodSandboxConfig(
            cgroup,
            new LinuxSandboxSecurityContext(ns, false, null, null, null, false, null),
            null,
            null));
  }

  static ContainerConfig container(
      String name,
      List<String> command,
      LinuxContainerResources resources,
      NamespaceOptions ns,
      List<Mount> mounts) {
    return container(
        name,
        command,
        mounts,
        new LinuxContainerConfig(
            resources,
            new LinuxContainerSecurityContext(
                null, false, ns, null, null, null, null, false, false, null, null, null)));
  }

  /** A busybox container logging to {@code <name>/0.log} in its pod's log directory. */
  static ContainerConfig container(
      String name, List<String> command, List<Mount> mounts, LinuxContainerConfig linux) {
    return new ContainerConfig(
        new ContainerMetadata(name, 0),
        new ImageSpec("busybox:1.35"),
        command,
        null,
        null,
        null,
        mounts,
        null,
        Map.of("name", name),
        null,
        name + "/0.log",
        false,
        false,
        false,
        linux);
  }

  String run(String sandbox, PodSandboxConfig pod, ContainerConfig c) {
    String id = runtime.createContainer(sandbox, c, pod);
    runtime.startContainer(id);
    return id;
  }

  String exec(String container, String... cmd) {
    var r = runtime.execSync(container, List.of(cmd), Duration.ofSeconds(20));
    if (r.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", cmd) + " exited " + r.exitCode() + ": " + r.stderrText());
    }
    return r.stdoutText().trim();
  }

  int pausePid(String sandbox) {
    return runtime.runc.state(sandbox).orElseThrow().pid();
  }

  @Override
  public void close() throws IOException {
    List<Throwable> errors = new ArrayList<>();
    for (var sb : runtime.listPodSandbox(null)) {
      try {
        runtime.removePodSandbox(sb.id());
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    for (String cg : podCgroups) {
      try {
        cgroups.remove(cg);
      } catch (RuntimeException e) {
        errors.add(e);
      }
    }
    for (String parent : List.of("/kubepods/burstable", "/kubepods/besteffort", "/kubepods")) {
      try {
        cgroups.remove(parent);
      } catch (RuntimeException e) {
        // In use by something else on this node: leave it.
      }
    }
    TestHost.deleteLink(BRIDGE);
    TestHost.removeTrees(root, runRoot);
    TestHost.failIfAny(errors);
  }
}
