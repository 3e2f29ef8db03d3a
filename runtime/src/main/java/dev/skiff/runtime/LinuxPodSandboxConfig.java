package dev.skiff.runtime;

import java.util.Map;

/** Linux settings of a sandbox (CRI {@code LinuxPodSandboxConfig}). */
public record LinuxPodSandboxConfig(
    String cgroupParent,
    LinuxSandboxSecurityContext securityContext,
    Map<String, String> sysctls,
    LinuxContainerResources resources) {
  public LinuxPodSandboxConfig {
    securityContext =
        securityContext == null ? LinuxSandboxSecurityContext.defaults() : securityContext;
    sysctls = sysctls == null ? Map.of() : Map.copyOf(sysctls);
    resources = resources == null ? LinuxContainerResources.NONE : resources;
  }
}
