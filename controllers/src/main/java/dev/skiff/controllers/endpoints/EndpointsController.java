package dev.skiff.controllers.endpoints;

import dev.skiff.api.selection.LabelSelector;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keeps an Endpoints object for every Service with a selector: the IPs of matching pods, ready or
 * not ready, grouped into subsets by the ports they serve. Services without a selector keep
 * whatever Endpoints their owner writes.
 */
public final class EndpointsController extends QueueController {
  /** Set on the Endpoints we manage so they are not mirrored into EndpointSlices again. */
  public static final String SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";

  public static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Endpoints> endpoints;

  public EndpointsController(ControllerContext context) {
    super("endpoints");
    this.client = context.client();
    this.services = context.informers().of(Service.class);
    this.pods = context.informers().of(Pod.class);
    this.endpoints = context.informers().of(Endpoints.class);
    services.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.of(
            this::podChanged,
            (old, pod) -> {
              podChanged(old);
              podChanged(pod);
            },
            this::podChanged));
    endpoints.addEventHandler(Handlers.of(e -> {}, (o, n) -> enqueue(n), this::enqueue));
  }

  private void podChanged(Pod pod) {
    for (Service service :
        services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, pod.getMetadata().getNamespace())) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector != null
          && !selector.isEmpty()
          && LabelSelector.fromMap(selector).matches(pod.getMetadata().getLabels())) {
        enqueue(service);
      }
    }
  }

  @Override
  protected void reconcile(String key) {
    Service service = services.getIndexer().getByKey(key);
    Endpoints current = endpoints.getIndexer().getByKey(key);
    String[] parts = key.split("/", 2);
    if (service == null) {
      if (current != null
          && "true".equals(current.getMetadata().getLabels().get(SKIP_MIRROR_LABEL))) {
        delete(parts[0], parts[1]);
      }
      return;
    }
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return;
    }
    List<EndpointSubset> subsets = subsets(service, selected(service, selector));
    Map<String, String> labels = new HashMap<>(service.getMetadata().getLabels());
    labels.put(SKIP_MIRROR_LABEL, "true");
    if (PodEndpoints.isHeadless(service)) {
      labels.put(HEADLESS_LABEL, "");
    } else {
      labels.remove(HEADLESS_LABEL);
    }
    if (current != null
        && Objects.equals(current.getSubsets(), subsets)
        && Objects.equals(current.getMetadata().getLabels(), labels)) {
      return;
    }
    Endpoints desired =
        current == null
            ? new EndpointsBuilder()
                .withNewMetadata()
                .withName(parts[1])
                .withNamespace(parts[0])
                .endMetadata()
                .build()
            : new EndpointsBuilder(current).build();
    desired.getMetadata().setLabels(labels);
    desired.setSubsets(subsets);
    var resource = client.endpoints().inNamespace(parts[0]).resource(desired);
    if (current == null) {
      // A 409 means our cache has not yet seen Endpoints created meanwhile (by us, for an earlier
      // state of the pods): it propagates, so the key is synced again once the cache has them; no
      // event would bring it back otherwise, and the Endpoints would keep the older addresses.
      resource.create();
    } else {
      resource.update();
    }
  }

  private List<Pod> selected(Service service, Map<String, String> selector) {
    LabelSelector matcher = LabelSelector.fromMap(selector);
    List<Pod> selected = new ArrayList<>();
    for (Pod pod :
        pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, service.getMetadata().getNamespace())) {
      if (matcher.matches(pod.getMetadata().getLabels())) {
        selected.add(pod);
      }
    }
    selected.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    return selected;
  }

  /** Addresses grouped by identical port sets, as upstream repacks them. */
  static List<EndpointSubset> subsets(Service service, List<Pod> pods) {
    boolean publishNotReady = PodEndpoints.publishNotReady(service);
    boolean portless = service.getSpec().getPorts().isEmpty();
    Map<List<EndpointPort>, List<EndpointAddress>> ready = new LinkedHashMap<>();
    Map<List<EndpointPort>, List<EndpointAddress>> notReady = new LinkedHashMap<>();
    for (Pod pod : pods) {
      if (!PodEndpoints.shouldInclude(pod, publishNotReady)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (PodEndpoints.ResolvedPort port : PodEndpoints.ports(service, pod)) {
        ports.add(
            new EndpointPortBuilder()
                .withName(port.name())
                .withPort(port.port())
                .withProtocol(port.protocol())
                .withAppProtocol(port.appProtocol())
                .build());
      }
      if (ports.isEmpty() && !(portless && PodEndpoints.isHeadless(service))) {
        continue;
      }
      ports.sort(
          Comparator.comparing((EndpointPort p) -> Objects.toString(p.getName(), ""))
              .thenComparing(EndpointPort::getPort));
      EndpointAddress address = address(service, pod);
      boolean isReady = publishNotReady || Pods.isReady(pod);
      (isReady ? ready : notReady).computeIfAbsent(ports, p -> new ArrayList<>()).add(address);
      (isReady ? notReady : ready).computeIfAbsent(ports, p -> new ArrayList<>());
    }
    List<EndpointSubset> subsets = new ArrayList<>();
    for (var entry : ready.entrySet()) {
      List<EndpointAddress> readyAddresses = sorted(entry.getValue());
      List<EndpointAddress> notReadyAddresses = sorted(notReady.get(entry.getKey()));
      subsets.add(
          new EndpointSubsetBuilder()
              .withAddresses(readyAddresses)
              .withNotReadyAddresses(notReadyAddresses)
              .withPorts(entry.getKey())
              .build());
    }
    return subsets;
  }

  private static List<EndpointAddress> sorted(List<EndpointAddress> addresses) {
    addresses.sort(Comparator.comparing(EndpointAddress::getIp));
    return addresses;
  }

  private static EndpointAddress address(Service service, Pod pod) {
    return new EndpointAddressBuilder()
        .withIp(pod.getStatus().getPodIP())
        .withHostname(PodEndpoints.hostname(service, pod))
        .withNodeName(pod.getSpec().getNodeName())
        .withNewTargetRef()
        .withKind("Pod")
        .withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid())
        .endTargetRef()
        .build();
  }

  private void delete(String namespace, String name) {
    try {
      client.endpoints().inNamespace(namespace).withName(name).delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
