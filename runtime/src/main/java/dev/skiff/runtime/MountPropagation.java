package dev.skiff.runtime;

/** Mount propagation of a volume mount (CRI {@code MountPropagation}). */
public enum MountPropagation {
  PRIVATE,
  HOST_TO_CONTAINER,
  BIDIRECTIONAL
}
