package dev.skiff.runtime;

/** Identifies a pod sandbox as the kubelet knows it (CRI {@code PodSandboxMetadata}). */
public record PodSandboxMetadata(String name, String uid, String namespace, int attempt) {}
