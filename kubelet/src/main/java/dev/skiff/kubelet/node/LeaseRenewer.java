package dev.skiff.kubelet.node;

import dev.skiff.kubelet.ApiCalls;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The node's heartbeat: a Lease named after the node in {@code kube-node-lease}, owned by the Node,
 * whose {@code renewTime} the kubelet moves forward every 10 seconds.
 */
public final class LeaseRenewer {
  public static final String NAMESPACE = "kube-node-lease";
  public static final int LEASE_DURATION_SECONDS = 40;

  private final KubernetesClient client;
  private final String nodeName;

  public LeaseRenewer(KubernetesClient client, String nodeName) {
    this.client = client;
    this.nodeName = nodeName;
  }

  /** Creates or renews the lease; {@code nodeUid} makes the Node its owner. */
  public Lease renew(String nodeUid, Instant now) {
    return ApiCalls.retryOnConflict(() -> renewOnce(nodeUid, now));
  }

  private Lease renewOnce(String nodeUid, Instant now) {
    var leases = client.leases().inNamespace(NAMESPACE);
    ZonedDateTime renewTime = now.truncatedTo(ChronoUnit.MICROS).atZone(ZoneOffset.UTC);
    Lease existing = leases.withName(nodeName).get();
    if (existing == null) {
      Lease lease =
          new LeaseBuilder()
              .withNewMetadata()
              .withName(nodeName)
              .withNamespace(NAMESPACE)
              .withOwnerReferences(
                  new OwnerReferenceBuilder()
                      .withApiVersion("v1")
                      .withKind("Node")
                      .withName(nodeName)
                      .withUid(nodeUid)
                      .build())
              .endMetadata()
              .withNewSpec()
              .withHolderIdentity(nodeName)
              .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
              .withRenewTime(renewTime)
              .endSpec()
              .build();
      try {
        return leases.resource(lease).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = leases.withName(nodeName).get();
      }
    }
    Lease renewed =
        new LeaseBuilder(existing)
            .editSpec()
            .withHolderIdentity(nodeName)
            .withLeaseDurationSeconds(LEASE_DURATION_SECONDS)
            .withRenewTime(renewTime)
            .endSpec()
            .build();
    return leases.resource(renewed).update();
  }
}
