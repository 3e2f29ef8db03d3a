package dev.skiff.cli.cluster;

import java.time.Duration;
import java.util.UUID;

/**
 * How one server of a possibly highly available control plane takes part in the cluster: the name
 * its Leases carry, the address it publishes in {@code default/kubernetes}, and the leader-election
 * timings of its scheduler and controller manager.
 *
 * @param name this server's name, e.g. {@code host-6443}
 * @param advertiseAddress the IP other nodes and pods reach this server's API on
 * @param leaseDuration how long a Lease is valid without renewal (upstream: 15 s)
 * @param renewDeadline how long a leader keeps trying to renew before it steps down (10 s)
 * @param retryPeriod how often Leases are tried (2 s)
 */
public record ServerElection(
    String name,
    String advertiseAddress,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod) {

  /** Upstream's timings. */
  public static ServerElection defaults(String name, String advertiseAddress) {
    return new ServerElection(
        name,
        advertiseAddress,
        Duration.ofSeconds(15),
        Duration.ofSeconds(10),
        Duration.ofSeconds(2));
  }

  public ServerElection {
    if (!(leaseDuration.compareTo(renewDeadline) > 0
        && renewDeadline.compareTo(retryPeriod) > 0
        && !retryPeriod.isNegative()
        && !retryPeriod.isZero())) {
      throw new IllegalArgumentException(
          "leader election wants lease duration > renew deadline > retry period > 0, not "
              + leaseDuration.toMillis()
              + " ms > "
              + renewDeadline.toMillis()
              + " ms > "
              + retryPeriod.toMillis()
              + " ms");
    }
  }

  /**
   * A Lease holder name for one run of this server, as upstream's {@code <hostname>_<uuid>}: after
   * a restart the server is a new candidate, not the holder it was.
   */
  public String holderIdentity() {
    return name + "_" + UUID.randomUUID();
  }
}
