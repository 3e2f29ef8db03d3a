package dev.skiff.cli;

import dev.skiff.cli.host.DataDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Flags shared by {@code up} and {@code server}; names follow k3s where it has one. */
final class ServerOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file of flag defaults (default: /etc/skiff/config.yaml if present).")
  Path config;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Cluster state, certificates and kubeconfig (default: ${DEFAULT-VALUE}).")
  Path dataDir = DataDir.defaultPath();

  @Option(
      names = "--bind-address",
      paramLabel = "IP",
      description =
          "Address the API server listens on (default: 127.0.0.1 for up, 0.0.0.0 for server).")
  String bindAddress;

  @Option(
      names = "--https-listen-port",
      paramLabel = "PORT",
      description = "API server port (default: ${DEFAULT-VALUE}).")
  int port = 6443;

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

  @Option(
      names = "--tls-san",
      paramLabel = "NAME",
      split = ",",
      description = "Extra host names or IPs for the API server certificate (repeatable).")
  List<String> tlsSans = new ArrayList<>();
}
