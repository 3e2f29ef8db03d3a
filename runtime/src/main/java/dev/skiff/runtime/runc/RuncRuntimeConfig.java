package dev.skiff.runtime.runc;

import dev.skiff.runtime.cgroups.Cgroups;
import dev.skiff.runtime.cni.PodNetwork;
import java.nio.file.Path;

/**
 * How the runc runtime is set up: {@code root} holds images, snapshots and the records of sandboxes
 * and containers (kept across restarts); {@code runRoot} holds runc's state and attach sockets
 * (keep its path short: unix socket paths are limited to 107 bytes); {@code logRoot} is used for
 * sandboxes that name no log directory; {@code netnsDir} is where named network namespaces are
 * mounted ({@code ip netns} uses /var/run/netns).
 */
public record RuncRuntimeConfig(
    Path root, Path runRoot, Path logRoot, String runcBinary, PodNetwork network, Cgroups cgroups) {

  public static final Path DEFAULT_LOG_ROOT = Path.of("/var/log/pods");

  public static RuncRuntimeConfig defaults(Path root, PodNetwork network) {
    return new RuncRuntimeConfig(
        root, Path.of("/run/skiff-runtime"), DEFAULT_LOG_ROOT, "runc", network, Cgroups.host());
  }
}
