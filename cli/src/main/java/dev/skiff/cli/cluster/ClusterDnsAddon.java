package dev.skiff.cli.cluster;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * The {@code kube-system/kube-dns} Service at the cluster DNS address, and an EndpointSlice that
 * sends its traffic to the DNS server this node runs (where upstream would run CoreDNS pods).
 */
final class ClusterDnsAddon {
  static final String NAMESPACE = "kube-system";
  static final String SERVICE = "kube-dns";
  static final String SLICE = "kube-dns-skiff";

  private ClusterDnsAddon() {}

  static void ensure(KubernetesClient client, String clusterDnsIp, String serverIp) {
    var service =
        new ServiceBuilder()
            .withNewMetadata()
            .withName(SERVICE)
            .withNamespace(NAMESPACE)
            .addToLabels("k8s-app", "kube-dns")
            .addToLabels("kubernetes.io/name", "CoreDNS")
            .endMetadata()
            .withNewSpec()
            .withClusterIP(clusterDnsIp)
            .addNewPort()
            .withName("dns")
            .withProtocol("UDP")
            .withPort(53)
            .endPort()
            .addNewPort()
            .withName("dns-tcp")
            .withProtocol("TCP")
            .withPort(53)
            .endPort()
            .endSpec()
            .build();
    if (client.services().inNamespace(NAMESPACE).withName(SERVICE).get() == null) {
      client.services().inNamespace(NAMESPACE).resource(service).create();
    }
    var slice =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(SLICE)
            .withNamespace(NAMESPACE)
            .addToLabels("kubernetes.io/service-name", SERVICE)
            .addToLabels("endpointslice.kubernetes.io/managed-by", "skiff-cluster-dns")
            .endMetadata()
            .withAddressType("IPv4")
            .addNewEndpoint()
            .withAddresses(serverIp)
            .withNewConditions()
            .withReady(true)
            .withServing(true)
            .withTerminating(false)
            .endConditions()
            .endEndpoint()
            .addNewPort()
            .withName("dns")
            .withProtocol("UDP")
            .withPort(53)
            .endPort()
            .addNewPort()
            .withName("dns-tcp")
            .withProtocol("TCP")
            .withPort(53)
            .endPort()
            .build();
    var slices = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE);
    var existing = slices.withName(SLICE).get();
    if (existing == null) {
      slices.resource(slice).create();
    } else {
      slice.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      slices.resource(slice).update();
    }
  }
}
