package dev.skiff.apiserver.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.FieldError;
import dev.skiff.api.ResourceType;
import dev.skiff.api.kinds.core.ServiceStrategy;
import dev.skiff.api.net.Cidr;
import dev.skiff.api.validation.GoSyntax;
import dev.skiff.apiserver.errors.ApiException;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.Store;
import io.fabric8.kubernetes.api.model.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ClusterIPs and NodePorts of Services, as kube-apiserver's Service REST storage hands them
 * out: filled into a Service before it is stored, refused with upstream's field errors when a
 * chosen value is taken, and given back when a create fails or a Service goes away. The bitmaps
 * live in the store under {@link #SERVICE_IPS_KEY} and {@link #NODE_PORTS_KEY}.
 */
public final class ServiceAllocations {
  public static final String DEFAULT_SERVICE_CIDR = "10.43.0.0/16";
  public static final String DEFAULT_NODE_PORT_RANGE = "30000-32767";
  public static final String SERVICE_IPS_KEY = "/registry/ranges/serviceips";
  public static final String NODE_PORTS_KEY = "/registry/ranges/servicenodeports";
  private static final String SERVICES_PREFIX = "/registry/services/";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What one request took; given back when the request fails. */
  public record Taken(List<String> ips, Set<Integer> ports) {
    public static final Taken NONE = new Taken(List.of(), Set.of());
  }

  private final Store store;
  private final StoredRange<ServiceIpAllocator> ips;
  private final StoredRange<NodePortAllocator> ports;

  public ServiceAllocations(Store store, String serviceCidr, String nodePortRange) {
    this.store = store;
    this.ips = new StoredRange<>(store, SERVICE_IPS_KEY, new ServiceIpAllocator(serviceCidr));
    this.ports = new StoredRange<>(store, NODE_PORTS_KEY, new NodePortAllocator(nodePortRange));
  }

  public static boolean isService(ResourceType t) {
    return t.group().isEmpty() && t.plural().equals("services");
  }

  /**
   * Fills the ClusterIP and NodePorts of a Service about to be created ({@code svc} in the served
   * shape). With {@code dryRun} chosen values are checked and nothing is taken.
   */
  public Taken allocate(ResourceType t, ObjectNode svc, boolean dryRun) {
    ObjectNode spec = svc.withObject("spec");
    List<String> takenIps = new ArrayList<>();
    Set<Integer> takenPorts = new HashSet<>();
    try {
      if (!type(spec).equals("ExternalName")) {
        allocateIp(t, svc, spec, dryRun, takenIps);
      }
      if (needsNodePorts(spec)) {
        allocatePorts(t, svc, spec, Map.of(), dryRun, takenPorts, Set.of());
      }
      if (ServiceStrategy.needsHealthCheck(spec)) {
        HealthCheckNodePort.allocate(ports, spec, dryRun, takenPorts);
      }
    } catch (RuntimeException e) {
      release(new Taken(takenIps, takenPorts));
      throw e;
    }
    return new Taken(List.copyOf(takenIps), Set.copyOf(takenPorts));
  }

  /**
   * Allocates what an update of {@code old} into {@code desired} newly needs (a ClusterIP when
   * leaving ExternalName, NodePorts when becoming NodePort or LoadBalancer, a health check port
   * when becoming LoadBalancer with the Local external traffic policy) and returns it; the values
   * {@code desired} no longer holds are reported by {@link #releasedBy}.
   */
  public Taken reallocate(ResourceType t, ObjectNode old, ObjectNode desired, boolean dryRun) {
    ObjectNode spec = desired.withObject("spec");
    JsonNode oldSpec = old.path("spec");
    List<String> takenIps = new ArrayList<>();
    Set<Integer> takenPorts = new HashSet<>();
    try {
      if (type(oldSpec).equals("ExternalName") && !type(spec).equals("ExternalName")) {
        allocateIp(t, desired, spec, dryRun, takenIps);
      }
      if (needsNodePorts(spec)) {
        Map<String, Integer> kept = new HashMap<>();
        for (JsonNode p : oldSpec.path("ports")) {
          if (p.path("nodePort").asInt(0) != 0) {
            kept.put(portKey(p), p.path("nodePort").asInt());
          }
        }
        Set<Integer> held = portNodePorts(oldSpec);
        allocatePorts(t, desired, spec, kept, dryRun, takenPorts, held);
      }
      // Leaving the pairing releases the port through releasedBy, as the field is dropped.
      if (ServiceStrategy.needsHealthCheck(spec) && !ServiceStrategy.needsHealthCheck(oldSpec)) {
        HealthCheckNodePort.allocate(ports, spec, dryRun, takenPorts);
      }
    } catch (RuntimeException e) {
      release(new Taken(takenIps, takenPorts));
      throw e;
    }
    return new Taken(List.copyOf(takenIps), Set.copyOf(takenPorts));
  }

  /** The values {@code old} held that {@code updated} no longer does. */
  public static Taken releasedBy(ObjectNode old, ObjectNode updated) {
    List<String> gone = new ArrayList<>(clusterIps(old.path("spec")));
    gone.removeAll(clusterIps(updated.path("spec")));
    Set<Integer> freed = new HashSet<>(nodePorts(old.path("spec")));
    freed.removeAll(nodePorts(updated.path("spec")));
    return new Taken(gone, freed);
  }

  /** Everything a removed Service held. */
  public static Taken heldBy(ObjectNode svc) {
    return new Taken(clusterIps(svc.path("spec")), nodePorts(svc.path("spec")));
  }

  public void release(Taken taken) {
    try {
      if (!taken.ips().isEmpty()) {
        ips.update(
            a -> {
              taken.ips().forEach(a::release);
              return null;
            });
      }
      if (!taken.ports().isEmpty()) {
        ports.update(
            a -> {
              taken.ports().forEach(a::release);
              return null;
            });
      }
    } catch (AllocationException e) {
      throw ApiException.internal("cannot release service allocations: " + e.getMessage());
    }
  }

  /**
   * Rebuilds both bitmaps from the Services that exist, marking what they hold and releasing what
   * none holds, and marks {@code reserved} IPs (the kubernetes Service's) too.
   */
  public List<RepairProblem> repair(Collection<ObjectNode> services, Collection<String> reserved) {
    List<Service> typed = new ArrayList<>();
    for (ObjectNode s : services) {
      typed.add(JSON.convertValue(s, Service.class));
    }
    List<RepairProblem> problems = new ArrayList<>();
    try {
      problems.addAll(
          ips.replace(
              a -> {
                List<RepairProblem> p = a.repair(typed);
                for (String ip : reserved) {
                  if (!a.has(ip)) {
                    try {
                      a.allocate(ip);
                    } catch (AllocationException e) {
                      // Outside the range: nothing to keep free for it.
                    }
                  }
                }
                return p;
              }));
      problems.addAll(ports.replace(a -> a.repair(typed)));
    } catch (AllocationException e) {
      throw new IllegalStateException("cannot repair service allocations: " + e.getMessage(), e);
    }
    return problems;
  }

  /** {@link #repair} from every Service in the store, as the API server does on start. */
  public List<RepairProblem> repairFromStore(Collection<String> reserved) {
    List<ObjectNode> services = new ArrayList<>();
    for (KeyValue kv : store.list(SERVICES_PREFIX, null, 0, 0).kvs()) {
      try {
        if (JSON.readTree(kv.value()) instanceof ObjectNode svc
            && svc.path("kind").asText().equals("Service")) {
          services.add(svc);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("unreadable Service at " + kv.key(), e);
      }
    }
    return repair(services, reserved);
  }

  /** True when the stored bitmap has {@code ip} allocated. */
  public boolean hasIp(String ip) {
    try {
      return ips.read(a -> a.has(ip));
    } catch (AllocationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** True when the stored bitmap has {@code port} allocated. */
  public boolean hasPort(int port) {
    try {
      return ports.read(a -> a.has(port));
    } catch (AllocationException e) {
      throw new IllegalStateException(e);
    }
  }

  private void allocateIp(
      ResourceType t, ObjectNode svc, ObjectNode spec, boolean dryRun, List<String> taken) {
    List<String> chosen = clusterIpsAsGiven(spec);
    if (!chosen.isEmpty() && chosen.get(0).equals("None")) {
      return;
    }
    if (!chosen.isEmpty()) {
      String ip = chosen.get(0);
      if (!Cidr.isIpLiteral(ip)) {
        // Not an address: validation refuses it with its own message.
        return;
      }
      try {
        if (dryRun) {
          AllocationException refused = ips.read(a -> a.has(ip) ? alreadyAllocated() : null);
          if (refused != null) {
            throw refused;
          }
        } else {
          ips.update(
              a -> {
                a.allocate(ip);
                return null;
              });
          taken.add(ip);
        }
      } catch (AllocationException e) {
        throw invalidIp(t, svc, chosen, ip, e);
      }
      spec.put("clusterIP", ip);
      spec.putArray("clusterIPs").add(ip);
      return;
    }
    if (dryRun) {
      return;
    }
    String ip;
    try {
      ip = ips.update(ServiceIpAllocator::allocateNext);
    } catch (AllocationException e) {
      throw invalidIp(t, svc, List.of(), "", e);
    }
    taken.add(ip);
    spec.put("clusterIP", ip);
    spec.putArray("clusterIPs").add(ip);
  }

  private static AllocationException alreadyAllocated() {
    return new AllocationException(
        AllocationException.Reason.ALLOCATED, "provided IP is already allocated");
  }

  private static ApiException invalidIp(
      ResourceType t, ObjectNode svc, List<String> chosen, String ip, AllocationException e) {
    String detail =
        ip.isEmpty()
            ? "failed to allocate a serviceIP: " + e.getMessage()
            : "failed to allocate IP " + ip + ": " + e.getMessage();
    return ApiException.invalid(
        t,
        svc.path("metadata").path("name").asText(),
        List.of(FieldError.invalid("spec.clusterIPs", goStrings(chosen), detail)));
  }

  /** {@code held}: ports the Service already owns, which it may name again. */
  private void allocatePorts(
      ResourceType t,
      ObjectNode svc,
      ObjectNode spec,
      Map<String, Integer> kept,
      boolean dryRun,
      Set<Integer> taken,
      Set<Integer> held) {
    // TCP and UDP on one port number share one NodePort, as upstream.
    Map<Integer, Integer> byPortNumber = new HashMap<>();
    Set<Integer> mine = new HashSet<>(held);
    JsonNode list = spec.path("ports");
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof ObjectNode p)) {
        continue;
      }
      int requested = requestedNodePort(p, kept, byPortNumber);
      int port = requested;
      try {
        if (requested != 0 && !mine.contains(requested)) {
          if (dryRun) {
            if (ports.read(a -> a.has(requested))) {
              throw new AllocationException(
                  AllocationException.Reason.ALLOCATED, "provided port is already allocated");
            }
          } else {
            ports.update(
                a -> {
                  a.allocate(requested);
                  return null;
                });
            taken.add(requested);
          }
        } else if (port == 0 && !dryRun) {
          port = ports.update(NodePortAllocator::allocateNext);
          taken.add(port);
        }
      } catch (AllocationException e) {
        String name = svc.path("metadata").path("name").asText();
        if (requested == 0) {
          throw ApiException.invalid(
              t,
              name,
              List.of(
                  FieldError.invalid(
                      "spec.ports[" + i + "].nodePort",
                      0,
                      "failed to allocate a nodePort: " + e.getMessage())));
        }
        throw ApiException.invalid(
            t,
            name,
            List.of(FieldError.invalid("spec.ports[" + i + "].nodePort", port, e.getMessage())));
      }
      if (port != 0) {
        mine.add(port);
        byPortNumber.put(p.path("port").asInt(), port);
        p.put("nodePort", port);
      }
    }
  }

  private static int requestedNodePort(
      JsonNode p, Map<String, Integer> kept, Map<Integer, Integer> byPortNumber) {
    int requested = p.path("nodePort").asInt(0);
    if (requested == 0) {
      requested = kept.getOrDefault(portKey(p), 0);
    }
    if (requested == 0) {
      requested = byPortNumber.getOrDefault(p.path("port").asInt(), 0);
    }
    return requested;
  }

  private static boolean needsNodePorts(JsonNode spec) {
    String type = type(spec);
    return type.equals("NodePort")
        || (type.equals("LoadBalancer")
            && spec.path("allocateLoadBalancerNodePorts").asBoolean(true));
  }

  private static String type(JsonNode spec) {
    String type = spec.path("type").asText("");
    return type.isEmpty() ? "ClusterIP" : type;
  }

  private static String portKey(JsonNode port) {
    String protocol = port.path("protocol").asText("");
    return port.path("port").asInt() + "/" + (protocol.isEmpty() ? "TCP" : protocol);
  }

  private static List<String> clusterIpsAsGiven(JsonNode spec) {
    List<String> out = new ArrayList<>();
    for (JsonNode ip : spec.path("clusterIPs")) {
      out.add(ip.asText());
    }
    String ip = spec.path("clusterIP").asText("");
    if (out.isEmpty() && !ip.isEmpty()) {
      out.add(ip);
    }
    return out;
  }

  private static List<String> clusterIps(JsonNode spec) {
    if (type(spec).equals("ExternalName")) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (String ip : clusterIpsAsGiven(spec)) {
      if (Cidr.isIpLiteral(ip)) {
        out.add(ip);
      }
    }
    return out;
  }

  /** The ports a Service holds: its ports' nodePorts and its healthCheckNodePort. */
  private static Set<Integer> nodePorts(JsonNode spec) {
    Set<Integer> out = portNodePorts(spec);
    if (spec.path("healthCheckNodePort").asInt(0) != 0) {
      out.add(spec.path("healthCheckNodePort").asInt());
    }
    return out;
  }

  private static Set<Integer> portNodePorts(JsonNode spec) {
    Set<Integer> out = new HashSet<>();
    for (JsonNode p : spec.path("ports")) {
      if (p.path("nodePort").asInt(0) != 0) {
        out.add(p.path("nodePort").asInt());
      }
    }
    return out;
  }

  private static GoSyntax goStrings(List<String> values) {
    StringBuilder b = new StringBuilder("[]string{");
    for (int i = 0; i < values.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(GoSyntax.quote(values.get(i)));
    }
    return new GoSyntax(b.append('}').toString());
  }
}
