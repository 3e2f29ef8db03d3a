package dev.skiff.runtime;

import java.util.List;

/** The pod's resolv.conf content (CRI {@code DNSConfig}). */
public record DnsConfig(List<String> servers, List<String> searches, List<String> options) {
  public DnsConfig {
    servers = servers == null ? List.of() : List.copyOf(servers);
    searches = searches == null ? List.of() : List.copyOf(searches);
    options = options == null ? List.of() : List.copyOf(options);
  }
}
