package dev.skiff.runtime;

/** Linux settings of a container (CRI {@code LinuxContainerConfig}). */
public record LinuxContainerConfig(
    LinuxContainerResources resources, LinuxContainerSecurityContext securityContext) {
  public LinuxContainerConfig {
    resources = resources == null ? LinuxContainerResources.NONE : resources;
    securityContext =
        securityContext == null ? LinuxContainerSecurityContext.defaults() : securityContext;
  }
}
