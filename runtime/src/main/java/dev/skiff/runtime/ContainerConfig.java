package dev.skiff.runtime;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to create a container (CRI {@code ContainerConfig}). {@code command} replaces
 * the image's entrypoint and {@code args} its cmd, as in a pod spec.
 */
public record ContainerConfig(
    ContainerMetadata metadata,
    ImageSpec image,
    List<String> command,
    List<String> args,
    String workingDir,
    List<KeyValue> envs,
    List<Mount> mounts,
    List<Device> devices,
    Map<String, String> labels,
    Map<String, String> annotations,
    String logPath,
    boolean stdin,
    boolean stdinOnce,
    boolean tty,
    LinuxContainerConfig linux) {
  public ContainerConfig {
    if (metadata == null || metadata.name() == null || metadata.name().isEmpty()) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "container metadata needs a name");
    }
    if (image == null || image.image() == null || image.image().isEmpty()) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "container needs an image");
    }
    command = command == null ? List.of() : List.copyOf(command);
    args = args == null ? List.of() : List.copyOf(args);
    envs = envs == null ? List.of() : List.copyOf(envs);
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    devices = devices == null ? List.of() : List.copyOf(devices);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    linux = linux == null ? new LinuxContainerConfig(null, null) : linux;
  }

  /** A config with only the essentials; the rest defaulted. */
  public static ContainerConfig of(String name, String image, List<String> command) {
    return new ContainerConfig(
        new ContainerMetadata(name, 0),
        new ImageSpec(image),
        command,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        false,
        false,
        false,
        null);
  }
}
