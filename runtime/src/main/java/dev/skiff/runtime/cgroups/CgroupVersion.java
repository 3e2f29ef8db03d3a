package dev.skiff.runtime.cgroups;

import java.nio.file.Files;
import java.nio.file.Path;

/** Which cgroup hierarchy the host (and therefore runc) uses. */
public enum CgroupVersion {
  V1,
  V2;

  /**
   * V2 only when the root itself is the unified hierarchy; a hybrid host (v1 controllers with a
   * cgroup2 mount for systemd) is V1, as runc sees it.
   */
  public static CgroupVersion detect(Path root) {
    return Files.exists(root.resolve("cgroup.controllers")) ? V2 : V1;
  }
}
