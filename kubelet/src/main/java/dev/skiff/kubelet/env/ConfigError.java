package dev.skiff.kubelet.env;

/**
 * A container's configuration cannot be built (a missing ConfigMap, Secret or key): it waits with
 * reason {@code CreateContainerConfigError} and this message until the object appears.
 */
public final class ConfigError extends RuntimeException {
  public ConfigError(String message) {
    super(message);
  }
}
