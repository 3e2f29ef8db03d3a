package dev.skiff.cli;

import dev.skiff.cli.host.DataDir;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the cluster's state lives: shared by the server commands and {@code snapshot}. */
final class StoreOptions {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Cluster state, certificates and kubeconfig (default: ${DEFAULT-VALUE}).")
  Path dataDir = DataDir.defaultPath();

  @Option(
      names = "--datastore-endpoint",
      paramLabel = "URL",
      description =
          "Store: empty for the embedded SQLite file <data-dir>/state.db, or"
              + " etcd://host1:2379,host2:2379 for an etcd cluster.")
  String datastoreEndpoint = "";

  @Option(
      names = "--datastore-cafile",
      paramLabel = "FILE",
      description = "CA certificate that signed the etcd servers' certificates.")
  Path datastoreCaFile;

  @Option(
      names = "--datastore-certfile",
      paramLabel = "FILE",
      description = "Client certificate for etcd.")
  Path datastoreCertFile;

  @Option(names = "--datastore-keyfile", paramLabel = "FILE", description = "Client key for etcd.")
  Path datastoreKeyFile;
}
