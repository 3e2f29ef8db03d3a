package dev.skiff.cli;

import dev.skiff.cli.cluster.ControlPlane;
import dev.skiff.cli.cluster.Foreground;
import dev.skiff.cli.cluster.NodeAgent;
import dev.skiff.cli.host.NodeAddress;
import dev.skiff.cli.host.OsPackages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code skiff up}: a whole single-node cluster in this process. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start a single-node cluster in the foreground: store, API server, scheduler, controllers,"
          + " and this machine as its node. Writes <data-dir>/kubeconfig.yaml and adds a"
          + " \"skiff\" context to ~/.kube/config. Run it again on the same data dir to restart"
          + " the same cluster with its objects."
    })
final class UpCommand implements Runnable {
  /** The single node of {@code up} takes the first /24 of the cluster CIDR. */
  static final String FIRST_NODE_POD_CIDR = "10.42.0.0/24";

  @Mixin ServerOptions options;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "This node's InternalIP (default: the address of the default route's interface).")
  String nodeIp;

  @Option(
      names = "--no-kube-config-merge",
      description = "Do not add the \"skiff\" context to ~/.kube/config.")
  boolean noMerge;

  @Option(
      names = "--container-runtime-endpoint",
      paramLabel = "URL",
      description =
          "Run pods in this CRI runtime instead of Skiff's own runc runtime, e.g."
              + " unix:///run/containerd/containerd.sock (the node writes its pod network to"
              + " /etc/cni/net.d for it).")
  String containerRuntimeEndpoint;

  @Override
  public void run() {
    // Bad flags are refused before the host is touched.
    options.disabledComponents();
    if ("root".equals(System.getProperty("user.name"))) {
      OsPackages.ensure(OsPackages.NODE);
    }
    if (options.election.advertiseAddress == null && nodeIp != null) {
      options.election.advertiseAddress = nodeIp;
    }
    // All addresses, as k3s: pods reach the API through the kubernetes Service, whose endpoint is
    // this node's address.
    ServerCommand.Started s = ServerCommand.start(options, "0.0.0.0");
    NodeAgent node;
    try {
      node =
          NodeAgent.start(
              new NodeAgent.Settings(
                  s.dataDir().path(),
                  ControlPlane.hostName(),
                  nodeIp != null ? nodeIp : NodeAddress.detect(),
                  FIRST_NODE_POD_CIDR,
                  // The machine runs the control plane too, labelled as k3s labels its servers.
                  Map.of("node-role.kubernetes.io/control-plane", "true"),
                  true,
                  containerRuntimeEndpoint),
              s.plane().clients());
    } catch (RuntimeException e) {
      s.plane().close();
      s.dataDir().close();
      throw e;
    }
    String how = "kubectl --kubeconfig " + s.kubeconfig() + " get namespaces";
    if (!noMerge) {
      Path user = Path.of(System.getProperty("user.home"), ".kube", "config");
      try {
        s.config().merge(user);
        how = "kubectl get namespaces (context \"skiff\" in " + user + ")";
      } catch (IOException e) {
        System.err.println("skiff: could not update " + user + ": " + e.getMessage());
      }
    }
    System.out.println("Skiff is ready: " + how);
    Foreground.runUntilSignalled(s.dataDir(), s.plane(), node);
  }
}
