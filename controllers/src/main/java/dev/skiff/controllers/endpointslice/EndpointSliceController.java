package dev.skiff.controllers.endpointslice;

import dev.skiff.api.selection.LabelSelector;
import dev.skiff.controllers.endpoints.EndpointsController;
import dev.skiff.controllers.endpoints.PodEndpoints;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.Pods;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the EndpointSlices of every Service with a selector: one endpoint per matching pod with
 * upstream's ready, serving and terminating conditions, at most 100 endpoints a slice, labelled
 * with the service name and this controller as manager.
 */
public final class EndpointSliceController extends QueueController {
  public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
  static final String ZONE_LABEL = "topology.kubernetes.io/zone";

  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SliceReconciler reconciler;

  public EndpointSliceController(ControllerContext context) {
    super("endpointslice");
    this.services = context.informers().of(Service.class);
    this.pods = context.informers().of(Pod.class);
    this.nodes = context.informers().of(Node.class);
    this.slices = context.informers().of(EndpointSlice.class);
    this.reconciler = new SliceReconciler(context.client(), MANAGED_BY);
    services.addEventHandler(Handlers.any(this::enqueue));
    pods.addEventHandler(
        Handlers.of(
            this::podChanged,
            (old, pod) -> {
              podChanged(old);
              podChanged(pod);
            },
            this::podChanged));
    slices.addEventHandler(Handlers.of(s -> {}, (o, n) -> sliceChanged(n), this::sliceChanged));
  }

  private void podChanged(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    for (Service service : services.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
      Map<String, String> selector = service.getSpec().getSelector();
      if (selector != null
          && !selector.isEmpty()
          && LabelSelector.fromMap(selector).matches(pod.getMetadata().getLabels())) {
        enqueue(service);
      }
    }
  }

  private void sliceChanged(EndpointSlice slice) {
    Map<String, String> labels = slice.getMetadata().getLabels();
    if (MANAGED_BY.equals(labels.get(SliceReconciler.MANAGED_BY_LABEL))
        && labels.containsKey(SliceReconciler.SERVICE_NAME_LABEL)) {
      enqueue(
          Cache.namespaceKeyFunc(
              slice.getMetadata().getNamespace(), labels.get(SliceReconciler.SERVICE_NAME_LABEL)));
    }
  }

  @Override
  protected void reconcile(String key) {
    Service service = services.getIndexer().getByKey(key);
    if (service == null) {
      // The garbage collector removes slices through their owner reference.
      return;
    }
    Map<String, String> selector = service.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return;
    }
    LabelSelector matcher = LabelSelector.fromMap(selector);
    Map<SliceReconciler.Group, List<Endpoint>> desired = new LinkedHashMap<>();
    boolean publishNotReady = PodEndpoints.publishNotReady(service);
    String namespace = service.getMetadata().getNamespace();
    for (Pod pod : pods.getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace)) {
      if (!matcher.matches(pod.getMetadata().getLabels())
          || !PodEndpoints.shouldInclude(pod, true)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      for (PodEndpoints.ResolvedPort port : PodEndpoints.ports(service, pod)) {
        ports.add(
            new EndpointPortBuilder()
                .withName(port.name() == null ? "" : port.name())
                .withPort(port.port())
                .withProtocol(port.protocol())
                .withAppProtocol(port.appProtocol())
                .build());
      }
      String ip = pod.getStatus().getPodIP();
      var group =
          new SliceReconciler.Group(
              ip.contains(":") ? "IPv6" : "IPv4", SliceReconciler.portKeys(ports));
      desired
          .computeIfAbsent(group, g -> new ArrayList<>())
          .add(endpoint(service, pod, publishNotReady));
    }
    Map<String, String> labels = new LinkedHashMap<>(service.getMetadata().getLabels());
    labels.remove(SliceReconciler.MANAGED_BY_LABEL);
    labels.remove(SliceReconciler.SERVICE_NAME_LABEL);
    if (PodEndpoints.isHeadless(service)) {
      labels.put(EndpointsController.HEADLESS_LABEL, "");
    }
    String family =
        service.getSpec().getIpFamilies().isEmpty()
            ? "IPv4"
            : service.getSpec().getIpFamilies().getFirst();
    reconciler.reconcile(
        service,
        "v1",
        "Service",
        service.getMetadata().getName(),
        labels,
        desired,
        new SliceReconciler.Group(family, List.of()),
        owned(service));
  }

  private List<EndpointSlice> owned(Service service) {
    List<EndpointSlice> owned = new ArrayList<>();
    for (EndpointSlice slice :
        slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, service.getMetadata().getNamespace())) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      if (MANAGED_BY.equals(labels.get(SliceReconciler.MANAGED_BY_LABEL))
          && service.getMetadata().getName().equals(labels.get(SliceReconciler.SERVICE_NAME_LABEL))
          && slice.getMetadata().getDeletionTimestamp() == null) {
        owned.add(slice);
      }
    }
    return owned;
  }

  private Endpoint endpoint(Service service, Pod pod, boolean publishNotReady) {
    boolean serving = Pods.isReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    String nodeName = pod.getSpec().getNodeName();
    String zone = null;
    if (nodeName != null && !nodeName.isEmpty()) {
      Node node = nodes.getIndexer().getByKey(nodeName);
      zone = node == null ? null : node.getMetadata().getLabels().get(ZONE_LABEL);
    }
    return new EndpointBuilder()
        .withAddresses(pod.getStatus().getPodIP())
        .withNewConditions()
        .withReady(publishNotReady || (serving && !terminating))
        .withServing(serving)
        .withTerminating(terminating)
        .endConditions()
        .withHostname(PodEndpoints.hostname(service, pod))
        .withNodeName(nodeName == null || nodeName.isEmpty() ? null : nodeName)
        .withZone(zone)
        .withNewTargetRef()
        .withKind("Pod")
        .withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName())
        .withUid(pod.getMetadata().getUid())
        .endTargetRef()
        .build();
  }
}
