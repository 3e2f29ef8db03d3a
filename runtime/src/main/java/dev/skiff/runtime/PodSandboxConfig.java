package dev.skiff.runtime;

import java.util.List;
import java.util.Map;

/** Everything needed to create a sandbox (CRI {@code PodSandboxConfig}). */
public record PodSandboxConfig(
    PodSandboxMetadata metadata,
    String hostname,
    String logDirectory,
    DnsConfig dnsConfig,
    List<PortMapping> portMappings,
    Map<String, String> labels,
    Map<String, String> annotations,
    LinuxPodSandboxConfig linux) {
  public PodSandboxConfig {
    if (metadata == null || metadata.name() == null || metadata.uid() == null) {
      throw new ContainerRuntimeException(
          ContainerRuntimeException.Code.INVALID_ARGUMENT, "sandbox metadata needs name and uid");
    }
    dnsConfig = dnsConfig == null ? new DnsConfig(null, null, null) : dnsConfig;
    portMappings = portMappings == null ? List.of() : List.copyOf(portMappings);
    labels = labels == null ? Map.of() : Map.copyOf(labels);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    linux = linux == null ? new LinuxPodSandboxConfig(null, null, null, null) : linux;
  }

  public NamespaceOptions namespaceOptions() {
    return linux.securityContext().namespaceOptions();
  }
}
