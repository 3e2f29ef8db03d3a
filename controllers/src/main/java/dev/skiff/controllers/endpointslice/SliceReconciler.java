package dev.skiff.controllers.endpointslice;

import dev.skiff.controllers.framework.OwnerReferences;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns the endpoints a Service should have into EndpointSlices: endpoints are grouped by address
 * type and port set, each group is cut into slices of at most {@link #MAX_ENDPOINTS}, existing
 * slices of the same group are reused in name order, and only slices whose content changed are
 * written.
 */
final class SliceReconciler {
  static final int MAX_ENDPOINTS = 100;
  static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";

  /** Endpoints sharing an address type and the same ports go in the same slices. */
  record Group(String addressType, List<EndpointPort> ports) {}

  private final KubernetesClient client;
  private final String managedBy;

  SliceReconciler(KubernetesClient client, String managedBy) {
    this.client = client;
    this.managedBy = managedBy;
  }

  /**
   * Makes the slices owned by {@code owner} (named for {@code serviceName}) hold exactly {@code
   * desired}; an empty {@code desired} leaves one empty slice of {@code emptyGroup}, as upstream.
   */
  void reconcile(
      HasMetadata owner,
      String ownerApiVersion,
      String ownerKind,
      String serviceName,
      Map<String, String> labels,
      Map<Group, List<Endpoint>> desired,
      Group emptyGroup,
      List<EndpointSlice> existing) {
    String namespace = owner.getMetadata().getNamespace();
    Map<String, String> sliceLabels = new LinkedHashMap<>(labels);
    sliceLabels.put(SERVICE_NAME_LABEL, serviceName);
    sliceLabels.put(MANAGED_BY_LABEL, managedBy);
    Map<Group, List<Endpoint>> groups = new LinkedHashMap<>(desired);
    if (groups.isEmpty()) {
      groups.put(emptyGroup, List.of());
    }
    List<EndpointSlice> unused = new ArrayList<>(existing);
    unused.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    for (var entry : groups.entrySet()) {
      Group group = entry.getKey();
      List<Endpoint> endpoints = new ArrayList<>(entry.getValue());
      endpoints.sort(Comparator.comparing(SliceReconciler::endpointKey));
      List<List<Endpoint>> chunks = new ArrayList<>();
      for (int i = 0; i < endpoints.size(); i += MAX_ENDPOINTS) {
        chunks.add(endpoints.subList(i, Math.min(endpoints.size(), i + MAX_ENDPOINTS)));
      }
      if (chunks.isEmpty()) {
        chunks.add(List.of());
      }
      for (List<Endpoint> chunk : chunks) {
        EndpointSlice reuse =
            unused.stream().filter(s -> group.equals(groupOf(s))).findFirst().orElse(null);
        if (reuse == null) {
          EndpointSlice slice =
              new EndpointSliceBuilder()
                  .withNewMetadata()
                  .withGenerateName(serviceName + "-")
                  .withNamespace(namespace)
                  .withLabels(sliceLabels)
                  .withOwnerReferences(
                      OwnerReferences.controllerRef(owner, ownerApiVersion, ownerKind))
                  .endMetadata()
                  .withAddressType(group.addressType())
                  .withPorts(group.ports())
                  .withEndpoints(chunk)
                  .build();
          client.discovery().v1().endpointSlices().inNamespace(namespace).resource(slice).create();
          continue;
        }
        unused.remove(reuse);
        if (sameEndpoints(reuse.getEndpoints(), chunk)
            && Objects.equals(reuse.getMetadata().getLabels(), sliceLabels)) {
          continue;
        }
        EndpointSlice updated = new EndpointSliceBuilder(reuse).withEndpoints(chunk).build();
        updated.getMetadata().setLabels(sliceLabels);
        client.discovery().v1().endpointSlices().inNamespace(namespace).resource(updated).update();
      }
    }
    for (EndpointSlice stale : unused) {
      try {
        client.discovery().v1().endpointSlices().inNamespace(namespace).resource(stale).delete();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
      }
    }
  }

  static Group groupOf(EndpointSlice slice) {
    return new Group(slice.getAddressType(), portKeys(slice.getPorts()));
  }

  /** Ports in a canonical order, so a group is recognised however the server lists them. */
  static List<EndpointPort> portKeys(List<EndpointPort> ports) {
    List<EndpointPort> sorted = new ArrayList<>(ports == null ? List.of() : ports);
    sorted.sort(
        Comparator.comparing((EndpointPort p) -> Objects.toString(p.getName(), ""))
            .thenComparing(p -> p.getPort() == null ? 0 : p.getPort())
            .thenComparing(p -> Objects.toString(p.getProtocol(), "")));
    return sorted;
  }

  private static boolean sameEndpoints(List<Endpoint> current, List<Endpoint> desired) {
    List<String> a = new ArrayList<>();
    for (Endpoint e : current == null ? List.<Endpoint>of() : current) {
      a.add(fingerprint(e));
    }
    List<String> b = new ArrayList<>();
    for (Endpoint e : desired) {
      b.add(fingerprint(e));
    }
    a.sort(null);
    b.sort(null);
    return a.equals(b);
  }

  private static String endpointKey(Endpoint endpoint) {
    return endpoint.getTargetRef() != null
        ? endpoint.getTargetRef().getName()
        : String.join(",", endpoint.getAddresses());
  }

  private static String fingerprint(Endpoint e) {
    var c = e.getConditions();
    return String.join(
        "|",
        String.valueOf(e.getAddresses()),
        c == null ? "" : c.getReady() + "," + c.getServing() + "," + c.getTerminating(),
        Objects.toString(e.getHostname(), ""),
        Objects.toString(e.getNodeName(), ""),
        Objects.toString(e.getZone(), ""),
        e.getTargetRef() == null
            ? ""
            : e.getTargetRef().getName() + "/" + Objects.toString(e.getTargetRef().getUid(), ""));
  }
}
