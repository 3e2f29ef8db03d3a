package dev.skiff.runtime.cri;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.runtime.LinuxPodSandboxConfig;
import dev.skiff.runtime.PodSandboxConfig;
import dev.skiff.runtime.PodSandboxMetadata;
import dev.skiff.runtime.TestHost;
import dev.skiff.runtime.TestImages;
import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.os.Command;
import dev.skiff.runtime.runc.NativeBinaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A private containerd (its own root, state dir, socket, CNI config on the test bridge {@code
 * skiff-cri0}, 10.244.251.0/24) with busybox:1.35 and a pause image built from Skiff's own pause
 * program imported, and the teardown that removes its sandboxes, shims, mounts, cgroups and bridge
 * whatever the test did.
 */
final class ContainerdFixture implements AutoCloseable {
  static final String BRIDGE = "skiff-cri0";
  static final String PAUSE_IMAGE = "skiff.test/pause:1";

  final Path root;
  final Path state;
  final Path socket;
  final String cgroupParent;
  final Process containerd;
  final CriConnection connection;
  final CriRuntimeService runtime;
  final CriImageService images;

  ContainerdFixture() throws Exception {
    TestImages.assumeRoot();
    boolean present = Files.isExecutable(Path.of("/usr/bin/containerd"));
    if (!"true".equals(System.getenv("CI"))) {
      assumeTrue(present, "containerd is not installed (apt-get install containerd)");
    }
    String id = UUID.randomUUID().toString().substring(0, 8);
    root = Files.createTempDirectory("skiff-cri-test");
    state = Path.of("/run/skiff-cri-" + id);
    socket = state.resolve("containerd.sock");
    cgroupParent = "/skiff-cri-test-" + id;
    Files.createDirectories(root.resolve("cni"));
    Files.writeString(root.resolve("cni/10-skiff-cri.conflist"), cniConfig());
    Files.writeString(root.resolve("config.toml"), config());
    containerd =
        new ProcessBuilder("containerd", "--config", root.resolve("config.toml").toString())
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("containerd.log").toFile())
            .start();
    connection = connect();
    runtime = new CriRuntimeService(connection);
    images = new CriImageService(connection);
    ctr("images", "import", TestImages.busyboxArchive().toString());
    ctr("images", "import", pauseImage().toString());
  }

  private CriConnection connect() throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (Files.exists(socket)) return CriConnection.open("unix://" + socket);
      } catch (RuntimeException e) {
        if (System.nanoTime() > deadline) throw e;
      }
      if (!containerd.isAlive()) {
        throw new IllegalStateException(
            "containerd exited: " + Files.readString(root.resolve("containerd.log")));
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("containerd not ready");
      Thread.sleep(200);
    }
  }

  PodSandboxConfig pod(String name) {
    return new PodSandboxConfig(
        new PodSandboxMetadata(name, UUID.randomUUID().toString(), "default", 0),
        name,
        root.resolve("logs").resolve(name).toString(),
        null,
        null,
        Map.of("app", name),
        null,
        new LinuxPodSandboxConfig(cgroupParent, null, null, null));
  }

  private void ctr(String... args) {
    List<String> command = new ArrayList<>(List.of("ctr", "--address", socket.toString()));
    command.addAll(List.of("--namespace", "k8s.io"));
    command.addAll(List.of(args));
    Command.run(command, Duration.ofMinutes(2)).check();
  }

  /** A `docker save` archive whose one layer holds Skiff's static pause program. */
  private Path pauseImage() throws Exception {
    Path dir = Files.createDirectories(root.resolve("pause-image"));
    Path rootfs = Files.createDirectories(root.resolve("pause-rootfs"));
    NativeBinaries.install(NativeBinaries.PAUSE, rootfs);
    Files.move(rootfs.resolve(NativeBinaries.PAUSE), rootfs.resolve("pause"));
    Path layer = root.resolve("pause-layer.tar");
    Command.run(
            List.of(
                "tar",
                "--owner=0",
                "--group=0",
                "-C",
                rootfs.toString(),
                "-cf",
                layer.toString(),
                "pause"),
            Duration.ofSeconds(30))
        .check();
    String layerSha = sha256(Files.readAllBytes(layer));
    Files.createDirectories(dir.resolve(layerSha));
    Files.move(layer, dir.resolve(layerSha).resolve("layer.tar"));
    String config =
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/pause\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:"
            + layerSha
            + "\"]}}";
    String configSha = sha256(config.getBytes());
    Files.writeString(dir.resolve(configSha + ".json"), config);
    Files.writeString(
        dir.resolve("manifest.json"),
        "[{\"Config\":\""
            + configSha
            + ".json\",\"RepoTags\":[\""
            + PAUSE_IMAGE
            + "\"],\"Layers\":[\""
            + layerSha
            + "/layer.tar\"]}]");
    Path archive = root.resolve("pause.tar");
    Command.run(
            List.of("tar", "-C", dir.toString(), "-cf", archive.toString(), "."),
            Duration.ofSeconds(30))
        .check();
    return archive;
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private String cniConfig() {
    return """
        {"cniVersion":"0.4.0","name":"skiff-cri-test","plugins":[
          {"type":"bridge","bridge":"%s","isGateway":true,"ipMasq":false,
           "ipam":{"type":"host-local","ranges":[[{"subnet":"10.244.251.0/24"}]],
                   "dataDir":"%s"}},
          {"type":"portmap","capabilities":{"portMappings":true}}]}
        """
        .formatted(BRIDGE, root.resolve("ipam"));
  }

  private String config() {
    return """
        version = 2
        root = "%1$s/root"
        state = "%2$s"
        disabled_plugins = ["io.containerd.internal.v1.opt", "io.containerd.snapshotter.v1.btrfs",
          "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
          "io.containerd.snapshotter.v1.aufs"]
        [grpc]
          address = "%3$s"
        [plugins."io.containerd.grpc.v1.cri"]
          sandbox_image = "%4$s"
          stream_server_address = "127.0.0.1"
          stream_server_port = "0"
          # Sandboxes ask for oom_score_adj -998; lowering it needs CAP_SYS_RESOURCE, which
          # machines like CI's withhold, so keep it no lower than containerd's own.
          restrict_oom_score_adj = true
          [plugins."io.containerd.grpc.v1.cri".cni]
            bin_dir = "/usr/lib/cni"
            conf_dir = "%1$s/cni"
          [plugins."io.containerd.grpc.v1.cri".containerd]
            snapshotter = "overlayfs"
        """
        .formatted(root, state, socket, PAUSE_IMAGE);
  }

  @Override
  public void close() throws IOException {
    List<Throwable> errors = new ArrayList<>();
    try {
      for (var sb : runtime.listPodSandbox(dev.skiff.runtime.PodSandboxFilter.ALL)) {
        runtime.stopPodSandbox(sb.id());
        runtime.removePodSandbox(sb.id());
      }
    } catch (RuntimeException e) {
      errors.add(e);
    }
    connection.close();
    containerd.destroy();
    try {
      containerd.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Shims outlive containerd by design; these are ours alone (they name our socket).
    Command.run(List.of("pkill", "-9", "-f", "containerd-shim.*" + socket), Duration.ofSeconds(10));
    Cgroups cgroups = Cgroups.host();
    try {
      cgroups.remove(cgroupParent);
    } catch (RuntimeException e) {
      errors.add(e);
    }
    TestHost.deleteLink(BRIDGE);
    TestHost.removeTrees(root, state);
    TestHost.failIfAny(errors);
  }
}
