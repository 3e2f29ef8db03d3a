package dev.skiff.cli.cluster;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps {@code default/kubernetes} Endpoints listing every live API server, as upstream's
 * lease-based endpoint reconciler does: each server renews its own {@code
 * apiserver.kubernetes.io/identity} Lease in kube-system (carrying the address it advertises), and
 * every server writes the Endpoints from the Leases still within their duration. A server that
 * stops cleanly deletes its Lease at once; one that dies drops out when its Lease expires.
 */
public final class ApiServerEndpoints implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServerEndpoints.class);
  static final String NAMESPACE = "kube-system";
  static final String IDENTITY_LABEL = "apiserver.kubernetes.io/identity";
  static final String IDENTITY = "kube-apiserver";

  /** Upstream's identity Lease has no address; Skiff's carries {@code ip:port} here. */
  static final String ADDRESS_ANNOTATION = "skiff.dev/advertise-address";

  private final KubernetesClient client;
  private final ServerElection election;
  private final String holder;
  private final String leaseName;
  private final int port;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("apiserver-endpoints").factory());

  private ApiServerEndpoints(
      KubernetesClient client, ServerElection election, String holder, int port) {
    this.client = client;
    this.election = election;
    this.holder = holder;
    this.port = port;
    this.leaseName = leaseName(election.name());
  }

  /** Publishes this server now and keeps doing so every retry period until closed. */
  public static ApiServerEndpoints start(
      KubernetesClient client, ServerElection election, String holder, int port) {
    var endpoints = new ApiServerEndpoints(client, election, holder, port);
    endpoints.sync();
    long period = election.retryPeriod().toMillis();
    endpoints.timer.scheduleWithFixedDelay(endpoints::sync, period, period, TimeUnit.MILLISECONDS);
    return endpoints;
  }

  /** {@code apiserver-<hash of the server name>}, as upstream names identity Leases. */
  static String leaseName(String serverName) {
    try {
      byte[] sum =
          MessageDigest.getInstance("SHA-256").digest(serverName.getBytes(StandardCharsets.UTF_8));
      return "apiserver-" + HexFormat.of().formatHex(sum).substring(0, 26);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void sync() {
    try {
      renew();
      reconcile();
    } catch (KubernetesClientException e) {
      // Another server may have written first; the next period retries from fresh state.
      log.debug("kubernetes endpoints not synced: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("kubernetes endpoints not synced: {}", e.toString());
    }
  }

  private void renew() {
    ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
    var leases = client.leases().inNamespace(NAMESPACE);
    Lease current = leases.withName(leaseName).get();
    Lease wanted =
        new LeaseBuilder(current != null ? current : new Lease())
            .editOrNewMetadata()
            .withName(leaseName)
            .withNamespace(NAMESPACE)
            .addToLabels(IDENTITY_LABEL, IDENTITY)
            .addToLabels("kubernetes.io/hostname", ControlPlane.hostName())
            .addToAnnotations(ADDRESS_ANNOTATION, election.advertiseAddress() + ":" + port)
            .endMetadata()
            .editOrNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds(seconds(election.leaseDuration()))
            .withRenewTime(now)
            .endSpec()
            .build();
    if (current == null) {
      wanted.getSpec().setAcquireTime(now);
      leases.resource(wanted).create();
    } else {
      leases.resource(wanted).update();
    }
  }

  private void reconcile() {
    Instant now = Instant.now();
    Map<Integer, TreeSet<String>> ipsByPort = new TreeMap<>();
    for (Lease lease :
        client
            .leases()
            .inNamespace(NAMESPACE)
            .withLabel(IDENTITY_LABEL, IDENTITY)
            .list()
            .getItems()) {
      var annotations = lease.getMetadata().getAnnotations();
      String address = annotations == null ? null : annotations.get(ADDRESS_ANNOTATION);
      if (address == null || !live(lease, now)) {
        continue;
      }
      int colon = address.lastIndexOf(':');
      if (colon <= 0 || !address.substring(colon + 1).matches("[0-9]{1,5}")) {
        continue;
      }
      ipsByPort
          .computeIfAbsent(Integer.parseInt(address.substring(colon + 1)), p -> new TreeSet<>())
          .add(address.substring(0, colon));
    }
    // One subset per port, as upstream repacks Endpoints.
    List<EndpointSubset> subsets = new ArrayList<>();
    ipsByPort.forEach(
        (p, ips) ->
            subsets.add(
                new EndpointSubsetBuilder()
                    .withAddresses(ips.stream().map(ApiServerEndpoints::address).toList())
                    .withPorts(
                        new EndpointPortBuilder()
                            .withName("https")
                            .withPort(p)
                            .withProtocol("TCP")
                            .build())
                    .build()));
    var endpoints = client.endpoints().inNamespace("default");
    Endpoints current = endpoints.withName("kubernetes").get();
    if (current == null) {
      endpoints
          .resource(
              new EndpointsBuilder()
                  .withNewMetadata()
                  .withName("kubernetes")
                  .withNamespace("default")
                  .endMetadata()
                  .withSubsets(subsets)
                  .build())
          .create();
    } else if (!subsets.equals(current.getSubsets())) {
      current.setSubsets(subsets);
      endpoints.resource(current).update();
    }
  }

  private static EndpointAddress address(String ip) {
    return new EndpointAddressBuilder().withIp(ip).build();
  }

  private static boolean live(Lease lease, Instant now) {
    var spec = lease.getSpec();
    if (spec == null || spec.getRenewTime() == null || spec.getLeaseDurationSeconds() == null) {
      return false;
    }
    return spec.getRenewTime().toInstant().plusSeconds(spec.getLeaseDurationSeconds()).isAfter(now);
  }

  private static int seconds(Duration d) {
    return (int) Math.max(1, (d.toMillis() + 999) / 1000);
  }

  /** Stops renewing, deletes this server's Lease and drops it from the Endpoints at once. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
      client.leases().inNamespace(NAMESPACE).withName(leaseName).delete();
      reconcile();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("could not withdraw this server from kubernetes endpoints: {}", e.getMessage());
    }
  }
}
