package dev.skiff.runtime;

/** Whose namespace a container uses (CRI {@code NamespaceMode}). */
public enum NamespaceMode {
  /** Shared by all containers of the pod (held by the sandbox). */
  POD,
  /** The container's own. */
  CONTAINER,
  /** The host's ({@code hostNetwork}, {@code hostPID}, {@code hostIPC}). */
  NODE,
  /** Another container's (ephemeral containers targeting one). */
  TARGET
}
