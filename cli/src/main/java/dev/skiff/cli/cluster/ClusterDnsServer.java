package dev.skiff.cli.cluster;

import dev.skiff.network.dns.ClusterDns;
import dev.skiff.network.dns.DnsConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's one DNS server (CoreDNS's role) on {@code address}:53, behind the {@code kube-dns}
 * Service at {@link NodeAgent#CLUSTER_DNS_IP}: beside {@code up}'s node, or beside a {@code skiff
 * server} that joined nodes reach over the network.
 */
final class ClusterDnsServer {
  private ClusterDnsServer() {}

  /** Starts it; the returned closeables stop it, last first. */
  static List<AutoCloseable> start(ComponentClients clients, String address) throws IOException {
    List<AutoCloseable> started = new ArrayList<>();
    KubernetesClient dnsClient = clients.forUser("kube-dns", "system:kube-dns", List.of());
    started.add(dnsClient);
    try {
      var dns = new ClusterDns(dnsClient, DnsConfig.standard(address));
      dns.start();
      started.add(dns);
      try (KubernetesClient bootstrap =
          clients.forUser("skiff-bootstrap", "skiff:bootstrap", List.of("system:masters"))) {
        ClusterDnsAddon.ensure(bootstrap, NodeAgent.CLUSTER_DNS_IP, address);
      }
      return started;
    } catch (RuntimeException | IOException e) {
      for (AutoCloseable c : started.reversed()) {
        try {
          c.close();
        } catch (Exception suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
  }
}
