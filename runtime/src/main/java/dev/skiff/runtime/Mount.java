package dev.skiff.runtime;

/** A host path bind-mounted into a container (CRI {@code Mount}). */
public record Mount(
    String containerPath, String hostPath, boolean readonly, MountPropagation propagation) {
  public Mount {
    propagation = propagation == null ? MountPropagation.PRIVATE : propagation;
  }

  public Mount(String containerPath, String hostPath, boolean readonly) {
    this(containerPath, hostPath, readonly, null);
  }
}
