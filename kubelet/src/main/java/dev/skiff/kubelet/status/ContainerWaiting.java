package dev.skiff.kubelet.status;

/**
 * Why a container is not running as the pod worker last saw it ({@code ErrImagePull}, {@code
 * CrashLoopBackOff}, {@code CreateContainerConfigError}, ...), shown as its waiting state.
 */
public record ContainerWaiting(String reason, String message) {}
