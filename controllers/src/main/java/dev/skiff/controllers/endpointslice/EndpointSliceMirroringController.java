package dev.skiff.controllers.endpointslice;

import dev.skiff.controllers.endpoints.EndpointsController;
import dev.skiff.controllers.framework.ControllerContext;
import dev.skiff.controllers.framework.Handlers;
import dev.skiff.controllers.framework.QueueController;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mirrors hand-written Endpoints of Services without a selector into EndpointSlices, so consumers
 * of slices (kube-proxy, DNS) see them too. Endpoints labelled {@code
 * endpointslice.kubernetes.io/skip-mirror=true} are left alone.
 */
public final class EndpointSliceMirroringController extends QueueController {
  public static final String MANAGED_BY = "endpointslicemirroring-controller.k8s.io";

  private final KubernetesClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Endpoints> endpoints;
  private final SharedIndexInformer<EndpointSlice> slices;
  private final SliceReconciler reconciler;

  public EndpointSliceMirroringController(ControllerContext context) {
    super("endpointslicemirroring");
    this.client = context.client();
    this.services = context.informers().of(Service.class);
    this.endpoints = context.informers().of(Endpoints.class);
    this.slices = context.informers().of(EndpointSlice.class);
    this.reconciler = new SliceReconciler(client, MANAGED_BY);
    services.addEventHandler(Handlers.any(this::enqueue));
    endpoints.addEventHandler(Handlers.any(this::enqueue));
    slices.addEventHandler(
        Handlers.any(
            slice -> {
              Map<String, String> labels = slice.getMetadata().getLabels();
              if (MANAGED_BY.equals(labels.get(SliceReconciler.MANAGED_BY_LABEL))
                  && labels.containsKey(SliceReconciler.SERVICE_NAME_LABEL)) {
                enqueue(
                    Cache.namespaceKeyFunc(
                        slice.getMetadata().getNamespace(),
                        labels.get(SliceReconciler.SERVICE_NAME_LABEL)));
              }
            }));
  }

  @Override
  protected void reconcile(String key) {
    Service service = services.getIndexer().getByKey(key);
    Endpoints source = endpoints.getIndexer().getByKey(key);
    List<EndpointSlice> existing = mirrored(key);
    boolean mirror =
        service != null
            && (service.getSpec().getSelector() == null
                || service.getSpec().getSelector().isEmpty())
            && source != null
            && !"true"
                .equals(
                    source.getMetadata().getLabels().get(EndpointsController.SKIP_MIRROR_LABEL));
    if (!mirror) {
      for (EndpointSlice slice : existing) {
        delete(slice);
      }
      return;
    }
    Map<SliceReconciler.Group, List<Endpoint>> desired = new LinkedHashMap<>();
    for (EndpointSubset subset : source.getSubsets()) {
      List<EndpointPort> ports = new ArrayList<>();
      for (var port : subset.getPorts()) {
        ports.add(
            new EndpointPortBuilder()
                .withName(port.getName() == null ? "" : port.getName())
                .withPort(port.getPort())
                .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
                .withAppProtocol(port.getAppProtocol())
                .build());
      }
      List<EndpointPort> portKeys = SliceReconciler.portKeys(ports);
      for (EndpointAddress address : subset.getAddresses()) {
        add(desired, portKeys, address, true);
      }
      for (EndpointAddress address : subset.getNotReadyAddresses()) {
        add(desired, portKeys, address, false);
      }
    }
    Map<String, String> labels = new LinkedHashMap<>(source.getMetadata().getLabels());
    labels.remove(SliceReconciler.MANAGED_BY_LABEL);
    labels.remove(SliceReconciler.SERVICE_NAME_LABEL);
    reconciler.reconcile(
        source,
        "v1",
        "Endpoints",
        source.getMetadata().getName(),
        labels,
        desired,
        new SliceReconciler.Group("IPv4", List.of()),
        existing);
  }

  private static void add(
      Map<SliceReconciler.Group, List<Endpoint>> desired,
      List<EndpointPort> ports,
      EndpointAddress address,
      boolean ready) {
    String ip = address.getIp();
    var builder =
        new EndpointBuilder()
            .withAddresses(ip)
            .withNewConditions()
            .withReady(ready)
            .endConditions()
            .withHostname(address.getHostname())
            .withNodeName(address.getNodeName());
    if (address.getTargetRef() != null) {
      builder.withTargetRef(new ObjectReferenceBuilder(address.getTargetRef()).build());
    }
    desired
        .computeIfAbsent(
            new SliceReconciler.Group(ip.contains(":") ? "IPv6" : "IPv4", ports),
            g -> new ArrayList<>())
        .add(builder.build());
  }

  private List<EndpointSlice> mirrored(String key) {
    String[] parts = key.split("/", 2);
    List<EndpointSlice> mirrored = new ArrayList<>();
    for (EndpointSlice slice : slices.getIndexer().byIndex(Cache.NAMESPACE_INDEX, parts[0])) {
      Map<String, String> labels = slice.getMetadata().getLabels();
      if (MANAGED_BY.equals(labels.get(SliceReconciler.MANAGED_BY_LABEL))
          && parts[1].equals(labels.get(SliceReconciler.SERVICE_NAME_LABEL))
          && slice.getMetadata().getDeletionTimestamp() == null) {
        mirrored.add(slice);
      }
    }
    return mirrored;
  }

  private void delete(EndpointSlice slice) {
    try {
      client
          .discovery()
          .v1()
          .endpointSlices()
          .inNamespace(slice.getMetadata().getNamespace())
          .resource(slice)
          .delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }
}
