package dev.skiff.apiserver.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.apiserver.errors.ApiException;

/**
 * Where a node's kubelet serves: the node's InternalIP (else another address) and the port it
 * publishes in {@code status.daemonEndpoints.kubeletEndpoint.Port}.
 */
public record KubeletAddress(String host, int port) {
  /** Upstream's default kubelet port, for nodes that publish none. */
  public static final int DEFAULT_PORT = 10250;

  private static final String[] PREFERRED = {
    "InternalIP", "ExternalIP", "InternalDNS", "ExternalDNS", "Hostname"
  };

  public static KubeletAddress of(JsonNode node) {
    String name = node.path("metadata").path("name").asText();
    JsonNode status = node.path("status");
    int port = status.path("daemonEndpoints").path("kubeletEndpoint").path("Port").asInt(0);
    for (String type : PREFERRED) {
      for (JsonNode a : status.path("addresses")) {
        if (a.path("type").asText().equals(type) && !a.path("address").asText().isEmpty()) {
          return new KubeletAddress(a.path("address").asText(), port > 0 ? port : DEFAULT_PORT);
        }
      }
    }
    throw ApiException.internal(
        "no preferred addresses found; known addresses: [] for node " + name);
  }

  /** {@code https://host:port} with IPv6 literals bracketed. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "https://" + h + ":" + port;
  }

  public String hostHeader() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
