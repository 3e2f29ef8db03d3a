package dev.skiff.runtime;

/** Namespace modes for network, PID and IPC (CRI {@code NamespaceOption}). */
public record NamespaceOptions(
    NamespaceMode network, NamespaceMode pid, NamespaceMode ipc, String targetId) {

  /** Upstream's default: pod network and IPC, a PID namespace per container. */
  public static final NamespaceOptions DEFAULT =
      new NamespaceOptions(NamespaceMode.POD, NamespaceMode.CONTAINER, NamespaceMode.POD, null);

  public NamespaceOptions {
    network = network == null ? NamespaceMode.POD : network;
    pid = pid == null ? NamespaceMode.CONTAINER : pid;
    ipc = ipc == null ? NamespaceMode.POD : ipc;
  }
}
