package dev.skiff.network.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cluster's Services and EndpointSlices as DNS sees them, kept current by informer events (or
 * set directly in tests). Safe for concurrent reads while events arrive.
 */
public final class ClusterRecords {
  private final Map<String, Service> services = new ConcurrentHashMap<>();
  private final Map<String, Map<String, EndpointSlice>> slicesByService = new ConcurrentHashMap<>();
  private final Map<String, String> sliceOwner = new ConcurrentHashMap<>();

  private static String key(String ns, String name) {
    return ns + "/" + name;
  }

  public void putService(Service s) {
    services.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
  }

  public void removeService(Service s) {
    services.remove(key(s.getMetadata().getNamespace(), s.getMetadata().getName()));
  }

  public void putSlice(EndpointSlice slice) {
    String ns = slice.getMetadata().getNamespace();
    String sliceKey = key(ns, slice.getMetadata().getName());
    removeSliceByKey(sliceKey);
    Map<String, String> labels = slice.getMetadata().getLabels();
    String service = labels == null ? null : labels.get("kubernetes.io/service-name");
    if (service == null) {
      return;
    }
    String owner = key(ns, service);
    sliceOwner.put(sliceKey, owner);
    slicesByService.computeIfAbsent(owner, k -> new ConcurrentHashMap<>()).put(sliceKey, slice);
  }

  public void removeSlice(EndpointSlice slice) {
    removeSliceByKey(key(slice.getMetadata().getNamespace(), slice.getMetadata().getName()));
  }

  private void removeSliceByKey(String sliceKey) {
    String owner = sliceOwner.remove(sliceKey);
    if (owner != null) {
      Map<String, EndpointSlice> slices = slicesByService.get(owner);
      if (slices != null) {
        slices.remove(sliceKey);
      }
    }
  }

  public Optional<Service> service(String ns, String name) {
    return Optional.ofNullable(services.get(key(ns, name)));
  }

  public Collection<Service> services() {
    return services.values();
  }

  /** One addressable backend of a Service: its address and, if set, its hostname. */
  public record Backend(String ip, String hostname, Map<String, Integer> ports) {}

  /**
   * Ready backends of a Service (all of them with {@code publishNotReadyAddresses}); each address
   * once, with the named ports of the slice it came from.
   */
  public List<Backend> backends(Service service) {
    boolean all =
        service.getSpec() != null
            && Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    Map<String, EndpointSlice> slices =
        slicesByService.getOrDefault(
            key(service.getMetadata().getNamespace(), service.getMetadata().getName()), Map.of());
    Map<String, Backend> byIp = new java.util.TreeMap<>();
    for (EndpointSlice slice : slices.values()) {
      Map<String, Integer> ports = new java.util.LinkedHashMap<>();
      if (slice.getPorts() != null) {
        for (var p : slice.getPorts()) {
          if (p.getPort() != null) {
            String proto = p.getProtocol() == null ? "tcp" : p.getProtocol().toLowerCase();
            ports.put((p.getName() == null ? "" : p.getName()) + "/" + proto, p.getPort());
          }
        }
      }
      if (slice.getEndpoints() == null) {
        continue;
      }
      for (Endpoint ep : slice.getEndpoints()) {
        boolean ready =
            ep.getConditions() == null
                || ep.getConditions().getReady() == null
                || ep.getConditions().getReady();
        if ((!ready && !all) || ep.getAddresses() == null) {
          continue;
        }
        for (String ip : ep.getAddresses()) {
          byIp.putIfAbsent(ip, new Backend(ip, ep.getHostname(), ports));
        }
      }
    }
    return new ArrayList<>(byIp.values());
  }
}
