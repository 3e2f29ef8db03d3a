package dev.skiff.network.proxy;

import java.util.List;

/**
 * One port of one Service, as the proxy sees it. {@code name} is upstream's service port name,
 * {@code "<ns>/<svc>:<port name>"} (or {@code "<ns>/<svc>"} for an unnamed port); {@code protocol}
 * is lower case. {@code affinitySeconds} is 0 without {@code sessionAffinity: ClientIP}. {@code
 * sourceRanges} are the {@code loadBalancerSourceRanges}: when set, only those clients may use the
 * load-balancer IPs.
 */
public record ServicePortInfo(
    String name,
    String portName,
    String protocol,
    String clusterIp,
    int port,
    int nodePort,
    List<String> externalIps,
    List<String> loadBalancerIps,
    List<String> sourceRanges,
    int affinitySeconds,
    boolean internalPolicyLocal,
    boolean externalPolicyLocal) {

  public ServicePortInfo {
    externalIps = List.copyOf(externalIps);
    loadBalancerIps = List.copyOf(loadBalancerIps);
    sourceRanges = List.copyOf(sourceRanges);
  }

  boolean hasExternalDestinations() {
    return nodePort > 0 || !externalIps.isEmpty() || !loadBalancerIps.isEmpty();
  }
}
