package dev.skiff.network.dns;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where cluster DNS listens and what it serves: {@code domain} (normally {@code cluster.local}),
 * the TTL of its answers, and the resolvers it forwards every other name to. Port 0 picks a free
 * port (tests); the kube-dns Service points at port 53.
 */
public record DnsConfig(
    String bindAddress,
    int port,
    String domain,
    long ttlSeconds,
    List<InetSocketAddress> upstreams) {

  public DnsConfig {
    upstreams = List.copyOf(upstreams);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
  }

  /**
   * Listens on {@code bindAddress:53} for {@code cluster.local}, forwarding to resolv.conf's
   * servers.
   */
  public static DnsConfig standard(String bindAddress) {
    return new DnsConfig(
        bindAddress, 53, "cluster.local", 5, ResolvConf.nameservers(ResolvConf.DEFAULT_PATH));
  }
}
