package dev.skiff.controllers.servicelb;

import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * k3s's service load balancer without its per-node pods: a Service of type LoadBalancer that names
 * no {@code loadBalancerClass} gets the addresses of the Ready nodes in {@code
 * status.loadBalancer.ingress} (their ExternalIPs when any of them has one, else their InternalIPs,
 * as k3s chooses), and every node's service proxy accepts the service's ports on those addresses.
 * With {@code externalTrafficPolicy: Local} only nodes that run a ready endpoint are listed, as k3s
 * does, so clients are never sent to a node that would drop them. A Service that stops being a
 * LoadBalancer loses the ingress it was given.
 */
public final class ServiceLoadBalancerController extends QueueController {
  /** The label that ties an EndpointSlice to its Service. */
  private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<EndpointSlice> slices;

  public ServiceLoadBalancerController(ControllerContext context) {
    super("service-lb-controller");
    this.client = context.client();
    this.services = context.informers().of(Service.class);
    this.nodes = context.informers().of(Node.class);
    this.slices = context.informers().of(EndpointSlice.class);
    services.addEventHandler(Handlers.any(this::serviceChanged));
    nodes.addEventHandler(Handlers.of(n -> enqueueAll(), this::nodeChanged, n -> enqueueAll()));
    slices.addEventHandler(Handlers.any(this::sliceChanged));
  }

  private void serviceChanged(Service service) {
    if (managed(service) || hasIngress(service)) {
      enqueue(service);
    }
  }

  /** Heartbeats change nothing this controller reads; readiness and addresses do. */
  private void nodeChanged(Node before, Node after) {
    if (ready(before) != ready(after)
        || !Objects.equals(addressesOf(before), addressesOf(after))
        || (before.getMetadata().getDeletionTimestamp() == null)
            != (after.getMetadata().getDeletionTimestamp() == null)) {
      enqueueAll();
    }
  }

  private void sliceChanged(EndpointSlice slice) {
    var labels = slice.getMetadata().getLabels();
    String name = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
    if (name != null) {
      Service service =
          services.getIndexer().getByKey(slice.getMetadata().getNamespace() + "/" + name);
      if (service != null && managed(service) && localPolicy(service)) {
        enqueue(service);
      }
    }
  }

  private void enqueueAll() {
    for (Service service : services.getStore().list()) {
      serviceChanged(service);
    }
  }

  @Override
  protected void reconcile(String key) {
    Service service = services.getIndexer().getByKey(key);
    if (service == null || service.getSpec() == null) {
      return;
    }
    if (!managed(service) && (service.getSpec().getLoadBalancerClass() != null)) {
      return;
    }
    List<LoadBalancerIngress> wanted = managed(service) ? ingress(service) : List.of();
    if (wanted.equals(currentIngress(service))) {
      return;
    }
    Service updated =
        new ServiceBuilder(service)
            .editOrNewStatus()
            .withLoadBalancer(new LoadBalancerStatus(wanted))
            .endStatus()
            .build();
    try {
      client
          .services()
          .inNamespace(service.getMetadata().getNamespace())
          .resource(updated)
          .updateStatus();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** This controller's Services: type LoadBalancer, no other implementation named. */
  private static boolean managed(Service service) {
    return service.getSpec() != null
        && "LoadBalancer".equals(service.getSpec().getType())
        && service.getSpec().getLoadBalancerClass() == null
        && service.getMetadata().getDeletionTimestamp() == null;
  }

  private static boolean hasIngress(Service service) {
    return !currentIngress(service).isEmpty();
  }

  private static List<LoadBalancerIngress> currentIngress(Service service) {
    if (service.getStatus() == null
        || service.getStatus().getLoadBalancer() == null
        || service.getStatus().getLoadBalancer().getIngress() == null) {
      return List.of();
    }
    return service.getStatus().getLoadBalancer().getIngress();
  }

  private static boolean localPolicy(Service service) {
    return "Local".equals(service.getSpec().getExternalTrafficPolicy());
  }

  /** The eligible nodes' addresses of the Service's IP families, sorted as k3s sorts them. */
  private List<LoadBalancerIngress> ingress(Service service) {
    Set<String> withEndpoints = localPolicy(service) ? nodesWithReadyEndpoints(service) : null;
    List<String> internal = new ArrayList<>();
    List<String> external = new ArrayList<>();
    for (Node node : nodes.getStore().list()) {
      if (!ready(node) || node.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      if (withEndpoints != null && !withEndpoints.contains(node.getMetadata().getName())) {
        continue;
      }
      internal.addAll(addresses(node, "InternalIP"));
      external.addAll(addresses(node, "ExternalIP"));
    }
    List<String> families =
        service.getSpec().getIpFamilies() == null ? List.of() : service.getSpec().getIpFamilies();
    Set<String> ips = new TreeSet<>();
    for (String ip : external.isEmpty() ? internal : external) {
      if (families.isEmpty() || families.contains(ip.contains(":") ? "IPv6" : "IPv4")) {
        ips.add(ip);
      }
    }
    List<LoadBalancerIngress> result = new ArrayList<>();
    for (String ip : ips) {
      result.add(new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build());
    }
    return result;
  }

  private Set<String> nodesWithReadyEndpoints(Service service) {
    String name = service.getMetadata().getName();
    Set<String> result = new HashSet<>();
    for (EndpointSlice slice :
        slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, service.getMetadata().getNamespace())) {
      var labels = slice.getMetadata().getLabels();
      if (labels == null || !name.equals(labels.get(SERVICE_NAME_LABEL))) {
        continue;
      }
      for (Endpoint ep : slice.getEndpoints()) {
        boolean ready =
            ep.getConditions() == null
                || ep.getConditions().getReady() == null
                || ep.getConditions().getReady();
        if (ready && ep.getNodeName() != null) {
          result.add(ep.getNodeName());
        }
      }
    }
    return result;
  }

  private static List<NodeAddress> addressesOf(Node node) {
    return node.getStatus() == null ? List.of() : node.getStatus().getAddresses();
  }

  private static boolean ready(Node node) {
    if (node.getStatus() == null) {
      return false;
    }
    for (NodeCondition c : node.getStatus().getConditions()) {
      if ("Ready".equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  private static List<String> addresses(Node node, String type) {
    List<String> result = new ArrayList<>();
    if (node.getStatus() != null) {
      for (NodeAddress a : node.getStatus().getAddresses()) {
        if (type.equals(a.getType())) {
          result.add(a.getAddress());
        }
      }
    }
    return result;
  }
}
