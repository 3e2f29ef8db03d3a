package dev.skiff.cli;

import dev.skiff.apiserver.encryption.EncryptingStore;
import dev.skiff.apiserver.encryption.EncryptionConfiguration;
import dev.skiff.cli.bootstrap.ServerBootstrap;
import dev.skiff.cli.cluster.ControlPlane;
import dev.skiff.cli.cluster.Foreground;
import dev.skiff.cli.host.DataDir;
import dev.skiff.cli.host.NodeAddress;
import dev.skiff.cli.kubeconfig.Kubeconfig;
import dev.skiff.cli.pki.ClusterPki;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code skiff server}: the control plane alone, for clusters whose nodes join with agents. */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the control plane (store, API server, and the cluster's controllers) in the"
          + " foreground, listening on all addresses by default. Nodes join it with"
          + " `skiff agent`.",
      "",
      "High availability: run several servers on one etcd (--datastore-endpoint etcd://...)."
          + " The first makes the cluster CA, service-account key and encryption config and"
          + " seals them in etcd with its server token (<data-dir>/token); start each further"
          + " server with --token <that token> to fetch them. One scheduler and one controller"
          + " manager are active at a time (kube-system Leases); the default/kubernetes"
          + " Endpoints list every live server."
    })
final class ServerCommand implements Runnable {
  @Mixin ServerOptions options;

  @Override
  public void run() {
    Started s = start(options, "0.0.0.0");
    startClusterDns(s.plane());
    System.out.println(
        "Skiff control plane is ready on port "
            + s.plane().apiPort()
            + "; admin kubeconfig: "
            + s.kubeconfig());
    Foreground.runUntilSignalled(s.dataDir(), s.plane());
  }

  /**
   * Cluster DNS for joined nodes, as k3s deploys CoreDNS with its server: on the bind address, or
   * the node address when bound to all; a loopback-only server has no nodes to serve. A DNS port
   * already taken costs DNS, not the control plane.
   */
  private void startClusterDns(ControlPlane plane) {
    try {
      String bind = options.bindAddress != null ? options.bindAddress : "0.0.0.0";
      String address = bind.equals("0.0.0.0") ? NodeAddress.detect() : bind;
      if (!InetAddress.getByName(address).isLoopbackAddress()) {
        plane.startClusterDns(address);
      }
    } catch (UserError | IOException e) {
      System.err.println("skiff: " + e.getMessage() + "; pods will have no cluster DNS");
    }
  }

  /** What a started server holds. */
  record Started(DataDir dataDir, ControlPlane plane, Path kubeconfig, Kubeconfig config) {}

  /** Locks the data dir, sets up TLS, starts the control plane and writes the kubeconfig. */
  static Started start(ServerOptions o, String defaultBind) {
    String bind = o.bindAddress != null ? o.bindAddress : defaultBind;
    Set<String> disabled = o.disabledComponents();
    DataDir dataDir = DataDir.lock(o.store.dataDir);
    try {
      ServerBootstrap.syncThroughDatastore(
          dataDir.path(),
          o.store.datastoreEndpoint,
          o.store.datastoreCaFile,
          o.store.datastoreCertFile,
          o.store.datastoreKeyFile,
          o.election.token,
          o.secretsEncryption);
      ClusterPki pki = ClusterPki.loadOrCreate(dataDir.path());
      if (o.secretsEncryption) {
        EncryptingStore.ensureConfiguration(dataDir.path().resolve(EncryptionConfiguration.FILE));
      }
      var plane =
          ControlPlane.start(
              new ControlPlane.Settings(
                  dataDir.path(),
                  bind,
                  o.port,
                  o.store.datastoreEndpoint,
                  o.store.datastoreCaFile,
                  o.store.datastoreCertFile,
                  o.store.datastoreKeyFile,
                  o.tlsSans,
                  o.snapshotSchedule,
                  o.snapshotRetention,
                  o.snapshotDir != null ? o.snapshotDir : dataDir.path().resolve("snapshots"),
                  ServerOptions.duration(
                      "--horizontal-pod-autoscaler-sync-period", o.hpaSyncPeriod),
                  ServerOptions.duration("--metric-resolution", o.metricResolution),
                  disabled),
              pki,
              o.election.election(
                  ControlPlane.hostName(),
                  o.port,
                  bind.equals("0.0.0.0") ? NodeAddress.detect() : bind));
      if (o.auditLogPath != null) {
        plane.auditTo(o.auditLogPath);
      }
      String host = bind.equals("0.0.0.0") ? "127.0.0.1" : bind;
      var kubeconfig =
          new Kubeconfig(
              "skiff",
              "https://" + host + ":" + plane.apiPort(),
              pki,
              pki.client("admin", "system:admin", List.of("system:masters")));
      Path file = dataDir.path().resolve("kubeconfig.yaml");
      kubeconfig.write(file);
      return new Started(dataDir, plane, file, kubeconfig);
    } catch (IOException e) {
      dataDir.close();
      throw new UserError("cannot set up " + o.store.dataDir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      dataDir.close();
      throw e;
    }
  }
}
