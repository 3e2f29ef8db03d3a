package dev.skiff.runtime;

/** Lifecycle state of a container (CRI {@code ContainerState}). */
public enum ContainerState {
  CONTAINER_CREATED,
  CONTAINER_RUNNING,
  CONTAINER_EXITED,
  CONTAINER_UNKNOWN
}
