package dev.skiff.cli;

import dev.skiff.cli.cluster.ServerElection;
import picocli.CommandLine.Option;

/**
 * Flags of a server in a highly available control plane: the address it publishes and the Lease
 * timings of its scheduler and controller manager, named as upstream's components name them.
 */
final class ElectionOptions {
  @Option(
      names = "--advertise-address",
      paramLabel = "IP",
      description =
          "Address this server publishes in the default/kubernetes Endpoints (default: the bind"
              + " address, or this machine's address when bound to all).")
  String advertiseAddress;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Server token of a cluster on an external datastore: the first server makes one (kept"
              + " in <data-dir>/token) and seals the cluster CA, service-account key and"
              + " encryption config with it in the datastore; further servers on the same"
              + " --datastore-endpoint pass it to fetch them.")
  String token;

  @Option(
      names = "--leader-elect-lease-duration",
      paramLabel = "DURATION",
      description =
          "How long a standby server waits after the active scheduler or controller manager"
              + " stops renewing its Lease before it takes over (default: ${DEFAULT-VALUE}).")
  String leaseDuration = "15s";

  @Option(
      names = "--leader-elect-renew-deadline",
      paramLabel = "DURATION",
      description =
          "How long the active server keeps trying to renew a Lease before it steps down"
              + " (default: ${DEFAULT-VALUE}).")
  String renewDeadline = "10s";

  @Option(
      names = "--leader-elect-retry-period",
      paramLabel = "DURATION",
      description = "How often Leases are tried and renewed (default: ${DEFAULT-VALUE}).")
  String retryPeriod = "2s";

  private static java.time.Duration duration(String flag, String text) {
    java.time.Duration d;
    try {
      d = TokenCommand.parseDuration(text);
    } catch (UserError e) {
      d = java.time.Duration.ZERO;
    }
    if (d.isZero()) {
      throw new UserError(flag + " \"" + text + "\": want a positive duration such as 15s");
    }
    return d;
  }

  /** This server's part in the cluster, named after this machine and its API port. */
  ServerElection election(String hostName, int port, String defaultAdvertiseAddress) {
    try {
      return new ServerElection(
          hostName + "-" + port,
          advertiseAddress != null ? advertiseAddress : defaultAdvertiseAddress,
          duration("--leader-elect-lease-duration", leaseDuration),
          duration("--leader-elect-renew-deadline", renewDeadline),
          duration("--leader-elect-retry-period", retryPeriod));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage(), e);
    }
  }
}
