package dev.skiff.apiserver;

import dev.skiff.apiserver.allocation.ServiceAllocations;
import dev.skiff.apiserver.auth.AuthOptions;
import java.security.KeyStore;

/**
 * How the API server listens.
 *
 * @param bindAddress address to bind, e.g. {@code 127.0.0.1}
 * @param port TCP port; 0 picks a free one (see {@link ApiServer#port()})
 * @param serverKeyStore the serving certificate and key; null for plain HTTP (tests)
 * @param keyPassword password of the key in {@code serverKeyStore}
 * @param clientCaTrustStore CAs whose client certificates identify users; null for none
 * @param kubernetesServiceIp ClusterIP of the {@code default/kubernetes} Service
 * @param auth authentication and authorization; null trusts every request (in-process tests)
 * @param kubeletClientKeyStore the certificate and key the API server shows kubelets; null for none
 * @param kubeletClientKeyPassword password of the key in {@code kubeletClientKeyStore}
 * @param serviceClusterIpRange the CIDR Services' ClusterIPs come from
 * @param serviceNodePortRange the ports NodePorts come from, e.g. {@code 30000-32767}
 */
public record ApiServerConfig(
    String bindAddress,
    int port,
    KeyStore serverKeyStore,
    char[] keyPassword,
    KeyStore clientCaTrustStore,
    String kubernetesServiceIp,
    AuthOptions auth,
    KeyStore kubeletClientKeyStore,
    char[] kubeletClientKeyPassword,
    String serviceClusterIpRange,
    String serviceNodePortRange) {

  public static final String DEFAULT_KUBERNETES_SERVICE_IP = "10.43.0.1";

  /** Serving without access control, kubelet client or other ranges: the {@code withX} add them. */
  public ApiServerConfig(
      String bindAddress,
      int port,
      KeyStore serverKeyStore,
      char[] keyPassword,
      KeyStore clientCaTrustStore,
      String kubernetesServiceIp) {
    this(
        bindAddress,
        port,
        serverKeyStore,
        keyPassword,
        clientCaTrustStore,
        kubernetesServiceIp,
        null,
        null,
        null,
        ServiceAllocations.DEFAULT_SERVICE_CIDR,
        ServiceAllocations.DEFAULT_NODE_PORT_RANGE);
  }

  /** As above, with the default {@code kubernetes} Service ClusterIP. */
  public ApiServerConfig(
      String bindAddress,
      int port,
      KeyStore serverKeyStore,
      char[] keyPassword,
      KeyStore clientCaTrustStore) {
    this(
        bindAddress,
        port,
        serverKeyStore,
        keyPassword,
        clientCaTrustStore,
        DEFAULT_KUBERNETES_SERVICE_IP);
  }

  /** Plain HTTP on loopback, for tests. */
  public static ApiServerConfig plainHttp(int port) {
    return new ApiServerConfig("127.0.0.1", port, null, null, null);
  }

  /** This configuration with access control: authentication, RBAC and the review endpoints. */
  public ApiServerConfig withAuth(AuthOptions options) {
    return with(
        options,
        kubeletClientKeyStore,
        kubeletClientKeyPassword,
        serviceClusterIpRange,
        serviceNodePortRange);
  }

  /** This configuration with the client certificate to show kubelets (streaming, node proxy). */
  public ApiServerConfig withKubeletClient(KeyStore keyStore, char[] password) {
    return with(auth, keyStore, password, serviceClusterIpRange, serviceNodePortRange);
  }

  /** This configuration with other ranges for ClusterIPs and NodePorts. */
  public ApiServerConfig withServiceRanges(String clusterIpRange, String nodePortRange) {
    return with(
        auth, kubeletClientKeyStore, kubeletClientKeyPassword, clusterIpRange, nodePortRange);
  }

  /** A copy that keeps how the server listens and serves, with the optional parts given. */
  private ApiServerConfig with(
      AuthOptions auth,
      KeyStore kubeletClientKeyStore,
      char[] kubeletClientKeyPassword,
      String serviceClusterIpRange,
      String serviceNodePortRange) {
    return new ApiServerConfig(
        bindAddress,
        port,
        serverKeyStore,
        keyPassword,
        clientCaTrustStore,
        kubernetesServiceIp,
        auth,
        kubeletClientKeyStore,
        kubeletClientKeyPassword,
        serviceClusterIpRange,
        serviceNodePortRange);
  }

  public boolean tls() {
    return serverKeyStore != null;
  }
}
