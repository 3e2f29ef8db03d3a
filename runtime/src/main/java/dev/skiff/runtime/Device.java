package dev.skiff.runtime;

/** A host device exposed to a container (CRI {@code Device}). */
public record Device(String containerPath, String hostPath, String permissions) {}
