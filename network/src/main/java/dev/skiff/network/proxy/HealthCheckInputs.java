package dev.skiff.network.proxy;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Reads the health checks this node serves from Services and EndpointSlices. */
final class HealthCheckInputs {
  private HealthCheckInputs() {}

  /**
   * Each LoadBalancer Service with {@code externalTrafficPolicy: Local} and a health check port,
   * with its ready endpoints on {@code nodeName}: distinct addresses, so a pod behind two ports
   * counts once, as upstream.
   */
  static Map<String, ServiceHealthServer.Check> checks(
      Collection<Service> services, Collection<EndpointSlice> slices, String nodeName) {
    Map<String, Set<String>> local = new HashMap<>();
    for (EndpointSlice slice : slices) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      String service = labels == null ? null : labels.get(ProxyInputs.SERVICE_NAME_LABEL);
      if (service == null || slice.getEndpoints() == null) {
        continue;
      }
      String key = slice.getMetadata().getNamespace() + "/" + service;
      for (Endpoint ep : slice.getEndpoints()) {
        boolean ready =
            ep.getConditions() == null || !Boolean.FALSE.equals(ep.getConditions().getReady());
        if (ready
            && nodeName.equals(ep.getNodeName())
            && ep.getAddresses() != null
            && !ep.getAddresses().isEmpty()) {
          local.computeIfAbsent(key, k -> new HashSet<>()).add(ep.getAddresses().get(0));
        }
      }
    }
    Map<String, ServiceHealthServer.Check> checks = new HashMap<>();
    for (Service service : services) {
      ServiceSpec spec = service.getSpec();
      if (spec == null
          || !"LoadBalancer".equals(spec.getType())
          || !"Local".equals(spec.getExternalTrafficPolicy())
          || spec.getHealthCheckNodePort() == null
          || spec.getHealthCheckNodePort() == 0) {
        continue;
      }
      String key = service.getMetadata().getNamespace() + "/" + service.getMetadata().getName();
      checks.put(
          key,
          new ServiceHealthServer.Check(
              spec.getHealthCheckNodePort(), local.getOrDefault(key, Set.of()).size()));
    }
    return checks;
  }
}
