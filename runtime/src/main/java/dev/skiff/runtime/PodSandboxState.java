package dev.skiff.runtime;

/** Whether a sandbox's namespaces are up (CRI {@code PodSandboxState}). */
public enum PodSandboxState {
  SANDBOX_READY,
  SANDBOX_NOTREADY
}
