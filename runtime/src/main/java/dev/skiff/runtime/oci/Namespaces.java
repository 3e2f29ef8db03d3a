package dev.skiff.runtime.oci;

/**
 * How a container gets each namespace: a path to join, {@link #NEW} for its own, or {@link #HOST}
 * for none (the host's).
 */
public record Namespaces(String network, String ipc, String uts, String pid) {
  public static final String NEW = "";
  public static final String HOST = "host";
}
