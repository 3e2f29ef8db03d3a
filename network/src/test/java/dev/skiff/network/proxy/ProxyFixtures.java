package dev.skiff.network.proxy;

import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.Map;

/** Services and EndpointSlices as the API server would hand them to the proxy. */
final class ProxyFixtures {
  private ProxyFixtures() {}

  static ServiceBuilder service(String ns, String name, String clusterIp, int port) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace(ns)
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP(clusterIp)
        .withClusterIPs(clusterIp)
        .addNewPort()
        .withName("p" + port)
        .withProtocol("TCP")
        .withPort(port)
        .endPort()
        .endSpec();
  }

  /** A NodePort Service: the cluster IP's port is also {@code nodePort} on every node. */
  static ServiceBuilder nodePortService(
      String ns, String name, String clusterIp, int port, int nodePort) {
    return service(ns, name, clusterIp, port)
        .editSpec()
        .withType("NodePort")
        .editFirstPort()
        .withNodePort(nodePort)
        .endPort()
        .endSpec();
  }

  /**
   * A slice with one port named {@code p<svcPort>}; each endpoint is {@code ip[@node]}, then {@code
   * !} for serving but terminating, {@code ?} for not ready at all.
   */
  static EndpointSlice slice(
      String ns, String service, int svcPort, int targetPort, String... eps) {
    EndpointSliceBuilder b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace(ns)
            .withName(service + "-abc" + eps.length)
            .withLabels(Map.of(ProxyInputs.SERVICE_NAME_LABEL, service))
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("p" + svcPort)
            .withProtocol("TCP")
            .withPort(targetPort)
            .endPort();
    for (String ep : eps) {
      boolean terminating = ep.endsWith("!");
      boolean down = ep.endsWith("?");
      String text = terminating || down ? ep.substring(0, ep.length() - 1) : ep;
      String[] parts = text.split("@");
      b.addToEndpoints(
          new EndpointBuilder()
              .withAddresses(parts[0])
              .withNodeName(parts.length > 1 ? parts[1] : "node-a")
              .withNewConditions()
              .withReady(!terminating && !down)
              .withServing(!down)
              .withTerminating(terminating)
              .endConditions()
              .build());
    }
    return b.build();
  }
}
