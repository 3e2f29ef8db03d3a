package dev.skiff.storage.etcd;

import java.nio.file.Path;
import java.util.List;

/**
 * How to reach an etcd cluster.
 *
 * @param endpoints client URLs or {@code host:port} pairs; plain pairs use https when TLS is set
 * @param caFile CA bundle that signed the servers' certificates, or null for plain http
 * @param certFile client certificate (PEM), or null
 * @param keyFile the client certificate's PKCS#8 private key (PEM), or null
 */
public record EtcdConfig(List<String> endpoints, Path caFile, Path certFile, Path keyFile) {
  public EtcdConfig {
    if (endpoints == null || endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one etcd endpoint is required");
    }
    endpoints = List.copyOf(endpoints);
    if ((certFile == null) != (keyFile == null)) {
      throw new IllegalArgumentException("a client certificate needs its key, and the other way");
    }
  }

  public static EtcdConfig plain(List<String> endpoints) {
    return new EtcdConfig(endpoints, null, null, null);
  }

  boolean tls() {
    return caFile != null || certFile != null;
  }

  /** Endpoints as URIs, adding the scheme where it was left out. */
  List<String> urls() {
    String scheme = tls() ? "https://" : "http://";
    return endpoints.stream().map(e -> e.contains("://") ? e : scheme + e).toList();
  }
}
