package dev.skiff.runtime;

/**
 * Resource usage of a container (CRI {@code ContainerStats}); {@code timestamp} is Unix
 * nanoseconds, CPU in cumulative core-nanoseconds.
 */
public record ContainerStats(
    String id,
    ContainerMetadata metadata,
    long timestamp,
    long cpuUsageCoreNanoSeconds,
    long memoryUsageBytes,
    long memoryWorkingSetBytes,
    long writableLayerUsedBytes) {}
