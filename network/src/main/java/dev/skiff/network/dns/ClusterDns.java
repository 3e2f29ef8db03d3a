package dev.skiff.network.dns;

import dev.skiff.api.informers.RelistingInformer;
import dev.skiff.network.informers.InformerSync;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.function.BiConsumer;

/**
 * CoreDNS's role: the cluster DNS server, fed by informers on Services and EndpointSlices through
 * the API server, answering {@code cluster.local} itself and forwarding the rest.
 */
public final class ClusterDns implements AutoCloseable {
  private final KubernetesClient client;
  private final ClusterRecords records = new ClusterRecords();
  private final DnsServer server;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<EndpointSlice> slices;

  public ClusterDns(KubernetesClient client, DnsConfig config) {
    this.client = client;
    this.server =
        new DnsServer(config, new ClusterZone(records, config.domain(), config.ttlSeconds()));
  }

  /** Fills the caches, then starts answering: no NXDOMAIN for names that exist but were unseen. */
  public void start() {
    services = RelistingInformer.of(client.services().inAnyNamespace());
    services.addEventHandler(handler(ClusterRecords::putService, ClusterRecords::removeService));
    slices = RelistingInformer.of(client.discovery().v1().endpointSlices().inAnyNamespace());
    slices.addEventHandler(handler(ClusterRecords::putSlice, ClusterRecords::removeSlice));
    InformerSync.await(services, slices);
    server.start();
  }

  public int port() {
    return server.port();
  }

  private <T> ResourceEventHandler<T> handler(
      BiConsumer<ClusterRecords, T> put, BiConsumer<ClusterRecords, T> remove) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        put.accept(records, obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        put.accept(records, newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        remove.accept(records, obj);
      }
    };
  }

  @Override
  public void close() {
    server.close();
    if (services != null) {
      services.close();
    }
    if (slices != null) {
      slices.close();
    }
  }
}
