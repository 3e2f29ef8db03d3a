package dev.skiff.runtime;

import java.util.List;
import java.util.Map;

/**
 * A container's status (CRI {@code ContainerStatus}). Times are Unix nanoseconds, zero when not
 * reached. {@code reason} is {@code OOMKilled}, {@code Completed} or {@code Error} once exited;
 * {@code message} holds the termination message the container wrote.
 */
public record ContainerStatus(
    String id,
    String podSandboxId,
    ContainerMetadata metadata,
    ContainerState state,
    long createdAt,
    long startedAt,
    long finishedAt,
    int exitCode,
    ImageSpec image,
    String imageRef,
    String reason,
    String message,
    Map<String, String> labels,
    Map<String, String> annotations,
    List<Mount> mounts,
    String logPath,
    LinuxContainerResources resources,
    int pid) {}
