package dev.skiff.runtime;

import java.util.List;
import java.util.Map;

/**
 * A sandbox's status (CRI {@code PodSandboxStatus}). {@code ip} is empty for host-network pods;
 * {@code netnsPath} is where the pod's network namespace is mounted (empty with host network).
 */
public record PodSandboxStatus(
    String id,
    PodSandboxMetadata metadata,
    PodSandboxState state,
    long createdAt,
    String ip,
    List<String> additionalIps,
    NamespaceOptions namespaceOptions,
    String netnsPath,
    Map<String, String> labels,
    Map<String, String> annotations,
    String runtimeHandler) {}
