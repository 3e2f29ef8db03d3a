package dev.skiff.kubelet.node;

/**
 * The node's health as the conditions report it.
 *
 * @param runtimeError null when the container runtime answers, else why it does not
 */
public record NodeHealth(
    boolean memoryPressure, boolean diskPressure, boolean pidPressure, String runtimeError) {

  public static final NodeHealth HEALTHY = new NodeHealth(false, false, false, null);

  public boolean ready() {
    return runtimeError == null;
  }
}
