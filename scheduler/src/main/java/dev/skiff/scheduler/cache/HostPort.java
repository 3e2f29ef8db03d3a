package dev.skiff.scheduler.cache;

/**
 * A host port a container asks for; an empty or wildcard IP conflicts with every IP.
 *
 * @param ip the host IP, "0.0.0.0" when unspecified
 * @param protocol TCP, UDP or SCTP
 */
public record HostPort(String ip, String protocol, int port) {
  public static final String WILDCARD = "0.0.0.0";

  public static HostPort of(String ip, String protocol, int port) {
    return new HostPort(
        ip == null || ip.isEmpty() ? WILDCARD : ip,
        protocol == null || protocol.isEmpty() ? "TCP" : protocol,
        port);
  }

  public boolean conflictsWith(HostPort other) {
    return port == other.port
        && protocol.equals(other.protocol)
        && (ip.equals(other.ip) || ip.equals(WILDCARD) || other.ip.equals(WILDCARD));
  }
}
