package dev.skiff.runtime;

import java.util.List;

/** Security settings of the sandbox itself (CRI {@code LinuxSandboxSecurityContext}). */
public record LinuxSandboxSecurityContext(
    NamespaceOptions namespaceOptions,
    boolean privileged,
    Long runAsUser,
    Long runAsGroup,
    List<Long> supplementalGroups,
    boolean readonlyRootfs,
    SecurityProfile seccomp) {
  public LinuxSandboxSecurityContext {
    namespaceOptions = namespaceOptions == null ? NamespaceOptions.DEFAULT : namespaceOptions;
    supplementalGroups = supplementalGroups == null ? List.of() : List.copyOf(supplementalGroups);
  }

  public static LinuxSandboxSecurityContext defaults() {
    return new LinuxSandboxSecurityContext(null, false, null, null, null, false, null);
  }
}
