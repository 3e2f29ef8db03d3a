package dev.skiff.cli;

import dev.skiff.cli.cluster.ControlPlane;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Flags shared by {@code up} and {@code server}; names follow k3s where it has one. */
final class ServerOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file of flag defaults (default: /etc/skiff/config.yaml if present).")
  Path config;

  @Option(
      names = "--bind-address",
      paramLabel = "IP",
      description = "Address the API server listens on (default: 0.0.0.0, all addresses).")
  String bindAddress;

  @Option(
      names = "--https-listen-port",
      paramLabel = "PORT",
      description = "API server port (default: ${DEFAULT-VALUE}).")
  int port = 6443;

  @Mixin StoreOptions store = new StoreOptions();

  @Mixin ElectionOptions election = new ElectionOptions();

  @Option(
      names = "--tls-san",
      paramLabel = "NAME",
      split = ",",
      description = "Extra host names or IPs for the API server certificate (repeatable).")
  List<String> tlsSans = new ArrayList<>();

  @Option(
      names = "--snapshot-schedule",
      paramLabel = "CRON",
      description =
          "Take a snapshot of the store on this five-field cron schedule (UTC), e.g."
              + " \"0 */6 * * *\"; empty (the default) takes none.")
  String snapshotSchedule = "";

  @Option(
      names = "--snapshot-retention",
      paramLabel = "N",
      description = "Scheduled snapshots to keep (default: ${DEFAULT-VALUE}).")
  int snapshotRetention = 5;

  @Option(
      names = "--snapshot-dir",
      paramLabel = "DIR",
      description = "Where scheduled snapshots go (default: <data-dir>/snapshots).")
  Path snapshotDir;

  @Option(
      names = "--secrets-encryption",
      description =
          "Encrypt Secrets in the store with AES-GCM under a key kept in"
              + " <data-dir>/encryption-config.yaml (made on first use; see skiff secrets-encrypt).")
  boolean secretsEncryption;

  @Option(
      names = "--audit-log-path",
      paramLabel = "FILE",
      description =
          "Write an audit log there: one audit.k8s.io/v1 Event per request, as JSON lines (request"
              + " and response bodies for writes, never for Secrets).")
  Path auditLogPath;

  @Option(
      names = "--horizontal-pod-autoscaler-sync-period",
      paramLabel = "DURATION",
      description = "How often each HorizontalPodAutoscaler is synced (default: ${DEFAULT-VALUE}).")
  String hpaSyncPeriod = "15s";

  @Option(
      names = "--metric-resolution",
      paramLabel = "DURATION",
      description =
          "How often kubelets are scraped for the resource metrics API behind kubectl top"
              + " (default: ${DEFAULT-VALUE}).")
  String metricResolution = "15s";

  @Option(
      names = "--disable",
      paramLabel = "COMPONENT",
      split = ",",
      description =
          "Do not run a packaged component (repeatable, as k3s): servicelb, the built-in"
              + " LoadBalancer implementation, leaves Services of type LoadBalancer <pending> as"
              + " on a cluster without a cloud provider.")
  List<String> disable = new ArrayList<>();

  private static final Set<String> COMPONENTS = Set.of(ControlPlane.SERVICE_LB);

  /** The components {@code --disable} names, refused with a clear error when one is unknown. */
  Set<String> disabledComponents() {
    Set<String> out = new TreeSet<>();
    for (String c : disable) {
      String name = c.strip();
      if (!COMPONENTS.contains(name)) {
        throw new UserError(
            "--disable \""
                + c
                + "\": unknown component; the one that can be disabled is "
                + ControlPlane.SERVICE_LB);
      }
      out.add(name);
    }
    return out;
  }

  /** A positive Go-style duration flag, e.g. {@code 15s} or {@code 1m30s}. */
  static java.time.Duration duration(String flag, String text) {
    java.time.Duration d;
    try {
      d = TokenCommand.parseDuration(text);
    } catch (UserError e) {
      d = java.time.Duration.ZERO;
    }
    if (d.isZero()) {
      throw new UserError(flag + " \"" + text + "\": want a duration such as 15s or 1m");
    }
    return d;
  }
}
