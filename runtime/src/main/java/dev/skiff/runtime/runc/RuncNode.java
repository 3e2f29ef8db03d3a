package dev.skiff.runtime.runc;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cni.CniNetworkConfig;
import dev.skiff.runtime.cni.CniPlugins;
import dev.skiff.runtime.cni.CniPodNetwork;
import dev.skiff.runtime.image.ImageGarbageCollector;
import dev.skiff.runtime.image.ImageStore;
import dev.skiff.runtime.image.LayerUnpacker;
import dev.skiff.runtime.image.LocalImageService;
import dev.skiff.runtime.image.PullProgress;
import dev.skiff.runtime.image.RegistryClient;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * A node's runc runtime and image service wired with their defaults: images and records under
 * {@code <dataDir>/runtime}, runc state under /run/skiff-<hash of dataDir>, logs under
 * /var/log/pods, and a CNI bridge {@code skiff0} on the node's pod CIDR with plugins from
 * /usr/lib/cni.
 */
public record RuncNode(
    RuncRuntime runtime, LocalImageService images, ImageStore store, ImageGarbageCollector gc) {
  public static final String BRIDGE = "skiff0";
  public static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");

  /** The node's image store; {@code skiff images} opens it beside a running node. */
  public static ImageStore imageStore(Path dataDir) {
    return new ImageStore(dataDir.resolve("runtime").resolve("images"), new LayerUnpacker());
  }

  /**
   * Where runc's state and attach sockets live for the node of {@code dataDir}: one dir per data
   * dir, so several nodes can share a host; {@code skiff reset} removes it.
   */
  public static Path runRoot(Path dataDir) {
    String key = Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
    return Path.of("/run/skiff-" + key);
  }

  public static RuncNode create(Path dataDir, String podCidr, Consumer<PullProgress> progress) {
    Path root = dataDir.resolve("runtime");
    ImageStore store = imageStore(dataDir);
    var network =
        CniPodNetwork.portMappingOnlyForHostPorts(
            new CniPlugins(List.of(CNI_PLUGINS)),
            CniNetworkConfig.bridge("skiff", BRIDGE, podCidr, root.resolve("cni")));
    var config =
        new RuncRuntimeConfig(
            root,
            runRoot(dataDir),
            RuncRuntimeConfig.DEFAULT_LOG_ROOT,
            "runc",
            network,
            Cgroups.host());
    var runtime = new RuncRuntime(config, store);
    return new RuncNode(
        runtime,
        new LocalImageService(store, new RegistryClient(), progress),
        store,
        new ImageGarbageCollector(store));
  }

  /** The interfaces the kubelet uses. */
  public ContainerRuntime containerRuntime() {
    return runtime;
  }

  public ImageService imageService() {
    return images;
  }
}
