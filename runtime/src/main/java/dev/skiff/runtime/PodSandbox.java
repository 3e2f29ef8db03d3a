package dev.skiff.runtime;

import java.util.Map;

/** A sandbox as listed (CRI {@code PodSandbox}); {@code createdAt} is in Unix nanoseconds. */
public record PodSandbox(
    String id,
    PodSandboxMetadata metadata,
    PodSandboxState state,
    long createdAt,
    Map<String, String> labels,
    Map<String, String> annotations,
    String runtimeHandler) {}
