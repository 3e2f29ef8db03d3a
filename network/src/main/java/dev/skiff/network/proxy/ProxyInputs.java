package dev.skiff.network.proxy;

import dev.skiff.api.net.Cidr;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reads Services and EndpointSlices into the proxy's model (IPv4 only, like one iptables). */
public final class ProxyInputs {
  /** The label that ties an EndpointSlice to its Service. */
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private static final int DEFAULT_AFFINITY_SECONDS = 10800;

  private ProxyInputs() {}

  /** The ports a proxy programs for {@code service}; none for ExternalName or headless ones. */
  public static List<ServicePortInfo> servicePorts(Service service) {
    ServiceSpec spec = service.getSpec();
    if (spec == null || "ExternalName".equals(spec.getType()) || spec.getPorts() == null) {
      return List.of();
    }
    String clusterIp = ipv4ClusterIp(spec);
    if (clusterIp == null) {
      return List.of();
    }
    int affinity = 0;
    if ("ClientIP".equals(spec.getSessionAffinity())) {
      affinity = DEFAULT_AFFINITY_SECONDS;
      var cfg = spec.getSessionAffinityConfig();
      if (cfg != null
          && cfg.getClientIP() != null
          && cfg.getClientIP().getTimeoutSeconds() != null) {
        affinity = cfg.getClientIP().getTimeoutSeconds();
      }
    }
    List<String> externalIps = ipv4(spec.getExternalIPs());
    List<String> lbIps = new ArrayList<>();
    if (service.getStatus() != null && service.getStatus().getLoadBalancer() != null) {
      List<LoadBalancerIngress> ingress = service.getStatus().getLoadBalancer().getIngress();
      if (ingress != null) {
        for (LoadBalancerIngress i : ingress) {
          // ipMode Proxy: the load balancer rewrites the destination, so the IP never arrives.
          if (i.getIp() != null && !i.getIp().contains(":") && !"Proxy".equals(i.getIpMode())) {
            lbIps.add(i.getIp());
          }
        }
      }
    }
    // Upstream trims the ranges and ignores the ones it cannot parse; IPv6 ones belong to
    // ip6tables.
    List<String> sourceRanges = new ArrayList<>();
    for (String range : ipv4(spec.getLoadBalancerSourceRanges())) {
      try {
        sourceRanges.add(Cidr.parse(range.strip()).toString());
      } catch (IllegalArgumentException e) {
        // Validation let it through from an older object; upstream skips it too.
      }
    }
    String prefix = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
    List<ServicePortInfo> ports = new ArrayList<>();
    for (ServicePort p : spec.getPorts()) {
      String portName = p.getName() == null ? "" : p.getName();
      ports.add(
          new ServicePortInfo(
              portName.isEmpty() ? prefix : prefix + ":" + portName,
              portName,
              (p.getProtocol() == null ? "TCP" : p.getProtocol()).toLowerCase(Locale.ROOT),
              clusterIp,
              p.getPort(),
              p.getNodePort() == null ? 0 : p.getNodePort(),
              externalIps,
              lbIps,
              sourceRanges,
              affinity,
              "Local".equals(spec.getInternalTrafficPolicy()),
              "Local".equals(spec.getExternalTrafficPolicy())
                  && !"ClusterIP".equals(spec.getType())));
    }
    return ports;
  }

  private static String ipv4ClusterIp(ServiceSpec spec) {
    List<String> ips = spec.getClusterIPs();
    if (ips == null || ips.isEmpty()) {
      ips = spec.getClusterIP() == null ? List.of() : List.of(spec.getClusterIP());
    }
    for (String ip : ips) {
      if (ip != null && !ip.isEmpty() && !"None".equals(ip) && !ip.contains(":")) {
        return ip;
      }
    }
    return null;
  }

  private static List<String> ipv4(List<String> ips) {
    return ips == null ? List.of() : ips.stream().filter(ip -> !ip.contains(":")).toList();
  }

  /**
   * Endpoints per service port name ({@code ns/svc:port}) from every slice of every Service;
   * duplicates across slices are kept once, and each list is sorted for stable output.
   */
  public static Map<String, List<EndpointInfo>> endpoints(Collection<EndpointSlice> slices) {
    Map<String, Map<String, EndpointInfo>> byPort = new HashMap<>();
    for (EndpointSlice slice : slices) {
      if ("IPv6".equals(slice.getAddressType()) || slice.getMetadata().getLabels() == null) {
        continue;
      }
      String service = slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
      if (service == null || slice.getPorts() == null || slice.getEndpoints() == null) {
        continue;
      }
      String prefix = slice.getMetadata().getNamespace() + "/" + service;
      for (EndpointPort port : slice.getPorts()) {
        if (port.getPort() == null) {
          continue;
        }
        String name =
            port.getName() == null || port.getName().isEmpty()
                ? prefix
                : prefix + ":" + port.getName();
        Map<String, EndpointInfo> eps = byPort.computeIfAbsent(name, k -> new LinkedHashMap<>());
        for (Endpoint ep : slice.getEndpoints()) {
          EndpointConditions c = ep.getConditions();
          boolean ready = c == null || c.getReady() == null || c.getReady();
          boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
          boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
          if (ep.getAddresses() == null || ep.getAddresses().isEmpty()) {
            continue;
          }
          EndpointInfo info =
              new EndpointInfo(
                  ep.getAddresses().get(0),
                  port.getPort(),
                  ready,
                  serving,
                  terminating,
                  ep.getNodeName());
          eps.putIfAbsent(info.hostPort(), info);
        }
      }
    }
    Map<String, List<EndpointInfo>> result = new HashMap<>();
    byPort.forEach(
        (name, eps) -> {
          List<EndpointInfo> list = new ArrayList<>(eps.values());
          list.sort(Comparator.comparing(EndpointInfo::hostPort));
          result.put(name, list);
        });
    return result;
  }
}
