package dev.skiff.cli.cluster;

import dev.skiff.apiserver.discovery.VersionInfo;
import dev.skiff.cli.pki.ClusterPki;
import dev.skiff.cli.pki.Pem;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * API clients for the components in this process, each with its own client certificate, so that
 * they reach the API server over HTTPS exactly as they would from another machine.
 */
public final class ComponentClients {
  private final ClusterPki pki;
  private final String serverUrl;

  public ComponentClients(ClusterPki pki, String serverUrl) {
    this.pki = pki;
    this.serverUrl = serverUrl;
  }

  /** The cluster PKI the clients' certificates come from. */
  public ClusterPki pki() {
    return pki;
  }

  /**
   * The User-Agent of a component, shaped as upstream's ({@code kube-scheduler/v1.32.0
   * (linux/amd64) ...}), so that field managers and audit records name the component.
   */
  public static String userAgent(String component) {
    return component + "/" + VersionInfo.GIT_VERSION + " (linux/amd64) skiff";
  }

  /**
   * A client authenticating as {@code user} (e.g. {@code system:kube-scheduler}); {@code file}
   * names its certificate and, as its User-Agent, the component.
   */
  public KubernetesClient forUser(String file, String user, List<String> groups)
      throws IOException {
    ClusterPki.Leaf cert = pki.client(file, user, groups);
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(serverUrl)
            .withCaCertData(base64(Pem.encode(pki.caCertificate())))
            .withClientCertData(base64(Pem.encode(cert.certificate())))
            .withClientKeyData(base64(Pem.encode(cert.key())))
            .withRequestTimeout(30_000)
            .withUserAgent(userAgent(file.equals("apiserver-loopback") ? "kube-apiserver" : file))
            // Streamed HTTP watches, as Go clients use; no WebSocket upgrade per watch.
            .withOnlyHttpWatches(true)
            // HTTP/1.1 connections: on one shared HTTP/2 connection a watch whose reader falls
            // behind holds up every other request of the component (seen as stalled informers).
            .withHttp2Disable(true)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  private static String base64(String pem) {
    return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII));
  }
}
