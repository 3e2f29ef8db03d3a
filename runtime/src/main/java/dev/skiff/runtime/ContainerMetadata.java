package dev.skiff.runtime;

/** Identifies a container within its pod (CRI {@code ContainerMetadata}). */
public record ContainerMetadata(String name, int attempt) {}
