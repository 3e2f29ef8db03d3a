package dev.skiff.runtime.cni;

import dev.skiff.runtime.PodSandboxConfig;
import java.nio.file.Path;

/**
 * Connects a sandbox's network namespace to the node network. {@code stateDir} is the sandbox's own
 * directory, where an implementation may keep what teardown needs.
 */
public interface PodNetwork {
  NetworkStatus setUp(String sandboxId, String netnsPath, PodSandboxConfig config, Path stateDir);

  /** Undoes {@link #setUp}; safe to call twice or after a failed setup. */
  void tearDown(String sandboxId, String netnsPath, PodSandboxConfig config, Path stateDir);
}
