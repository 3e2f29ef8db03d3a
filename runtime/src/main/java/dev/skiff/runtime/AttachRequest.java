package dev.skiff.runtime;

/** Attaching to a running container's stdio (CRI {@code AttachRequest}). */
public record AttachRequest(
    String containerId, boolean stdin, boolean tty, boolean stdout, boolean stderr) {}
