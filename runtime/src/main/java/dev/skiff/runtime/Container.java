package dev.skiff.runtime;

import java.util.Map;

/** A container as listed (CRI {@code Container}); {@code createdAt} is in Unix nanoseconds. */
public record Container(
    String id,
    String podSandboxId,
    ContainerMetadata metadata,
    ImageSpec image,
    String imageRef,
    ContainerState state,
    long createdAt,
    Map<String, String> labels,
    Map<String, String> annotations) {}
