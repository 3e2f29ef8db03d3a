package dev.skiff.cli.cluster;

import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.kubelet.server.ServingTls;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;

/**
 * The identities a node's components use: on the server's own node they are issued from the cluster
 * CA directly; a joined agent has the certificates its CertificateSigningRequests earned.
 */
public interface NodeCredentials {
  /** A client for the kubelet, as {@code system:node:<name>} in {@code system:nodes}. */
  KubernetesClient kubelet(String nodeName) throws IOException;

  /** A client for the service proxy and node routes. */
  KubernetesClient proxy(String nodeName) throws IOException;

  /** The kubelet's HTTPS certificate, trusting the API server's kubelet client certificate. */
  ServingTls kubeletServing(String nodeName, String nodeIp) throws IOException;

  /** Credentials issued from the cluster CA of the control plane in this process. */
  static NodeCredentials issuedBy(ComponentClients clients) {
    return new NodeCredentials() {
      @Override
      public KubernetesClient kubelet(String nodeName) throws IOException {
        return clients.forUser("kubelet", "system:node:" + nodeName, List.of("system:nodes"));
      }

      @Override
      public KubernetesClient proxy(String nodeName) throws IOException {
        return clients.forUser("kube-proxy", "system:kube-proxy", List.of());
      }

      @Override
      public ServingTls kubeletServing(String nodeName, String nodeIp) throws IOException {
        ClusterPki pki = clients.pki();
        ClusterPki.Leaf serving =
            pki.serving(
                "kubelet-serving",
                "system:node:" + nodeName,
                List.of(nodeName),
                List.of(InetAddress.getByName(nodeIp)));
        return new ServingTls(
            pki.keyStore(serving), ClusterPki.keyStorePassword(), pki.clientCaTrustStore());
      }
    };
  }
}
