package dev.skiff.runtime.image;

import java.util.List;

/** The parts of an OCI image config that shape a container's process. */
public record ImageConfig(
    List<String> entrypoint, List<String> cmd, List<String> env, String workingDir, String user) {
  public ImageConfig {
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    env = env == null ? List.of() : List.copyOf(env);
    workingDir = workingDir == null ? "" : workingDir;
    user = user == null ? "" : user;
  }

  public static final ImageConfig EMPTY = new ImageConfig(null, null, null, null, null);
}
