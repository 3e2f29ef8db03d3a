package dev.skiff.runtime;

import java.util.List;

/**
 * Security settings of a container (CRI {@code LinuxContainerSecurityContext}). A null {@code
 * maskedPaths}/{@code readonlyPaths} means the runtime's defaults; an empty list means none ({@code
 * procMount: Unmasked}).
 */
public record LinuxContainerSecurityContext(
    Capabilities capabilities,
    boolean privileged,
    NamespaceOptions namespaceOptions,
    Long runAsUser,
    String runAsUsername,
    Long runAsGroup,
    List<Long> supplementalGroups,
    boolean readonlyRootfs,
    boolean noNewPrivs,
    SecurityProfile seccomp,
    List<String> maskedPaths,
    List<String> readonlyPaths) {
  public LinuxContainerSecurityContext {
    capabilities = capabilities == null ? new Capabilities(null, null) : capabilities;
    namespaceOptions = namespaceOptions == null ? NamespaceOptions.DEFAULT : namespaceOptions;
    supplementalGroups = supplementalGroups == null ? List.of() : List.copyOf(supplementalGroups);
    seccomp = seccomp == null ? SecurityProfile.UNCONFINED : seccomp;
    maskedPaths = maskedPaths == null ? null : List.copyOf(maskedPaths);
    readonlyPaths = readonlyPaths == null ? null : List.copyOf(readonlyPaths);
  }

  public static LinuxContainerSecurityContext defaults() {
    return new LinuxContainerSecurityContext(
        null, false, null, null, null, null, null, false, false, null, null, null);
  }
}
