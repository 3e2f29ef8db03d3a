package dev.skiff.network.proxy;

/**
 * One backend of one service port, from an EndpointSlice: conditions already defaulted as upstream
 * (a missing {@code ready} or {@code serving} means true, a missing {@code terminating} false).
 */
public record EndpointInfo(
    String ip, int port, boolean ready, boolean serving, boolean terminating, String nodeName) {

  /** {@code ip:port}, with brackets around an IPv6 address. */
  public String hostPort() {
    return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
  }
}
