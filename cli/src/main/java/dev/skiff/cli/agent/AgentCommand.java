package dev.skiff.cli.agent;

import dev.skiff.cli.UserError;
import dev.skiff.cli.cluster.ControlPlane;
import dev.skiff.cli.cluster.Foreground;
import dev.skiff.cli.cluster.NodeAgent;
import dev.skiff.cli.host.DataDir;
import dev.skiff.cli.host.NodeAddress;
import dev.skiff.cli.host.OsPackages;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skiff agent}: this machine joins a cluster as a node, as {@code k3s agent} does. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Join this machine to a cluster as a node and run it in the foreground: kubelet, service"
          + " proxy and routes to the other nodes' pods. The first run trusts the server's CA only"
          + " if its hash matches the token's, then trades the token for the node's own"
          + " certificates (kept in <data-dir>/agent); later runs reuse them."
    })
public final class AgentCommand implements Runnable {
  /** How long to wait for the control plane to sign certificates and assign a pod range. */
  static final Duration JOIN_TIMEOUT = Duration.ofMinutes(2);

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "YAML file of flag defaults (default: /etc/skiff/config.yaml if present).")
  Path config;

  @Option(
      names = "--server",
      required = true,
      paramLabel = "URL",
      description = "The API server to join, e.g. https://10.0.0.1:6443.")
  String server;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Join token from `skiff token create` on the server (K10<ca-hash>::<id>.<secret>);"
              + " needed for the first run only.")
  String token;

  @Option(
      names = "--ca-cert-hash",
      paramLabel = "sha256:HEX",
      description =
          "The server CA's hash, for a token without the K10 prefix: SHA-256 of its certificate"
              + " file or of its public key (kubeadm's --discovery-token-ca-cert-hash).")
  String caCertHash;

  @Option(
      names = "--node-name",
      paramLabel = "NAME",
      description = "This node's name (default: the host name).")
  String nodeName;

  @Option(
      names = "--node-ip",
      paramLabel = "IP",
      description =
          "This node's InternalIP (default: the address of the default route's interface).")
  String nodeIp;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "The node's state, images and credentials (default: ${DEFAULT-VALUE}).")
  Path dataDir = DataDir.defaultPath();

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
    URI url = serverUrl(server);
    String name = nodeName != null ? nodeName : ControlPlane.hostName();
    String ip = nodeIp != null ? nodeIp : NodeAddress.detect();
    if ("root".equals(System.getProperty("user.name"))) {
      OsPackages.ensure(OsPackages.NODE);
    }
    DataDir dir = DataDir.lock(dataDir);
    NodeAgent node;
    try {
      AgentIdentity identity =
          AgentIdentity.obtain(
              dir.path(),
              new AgentIdentity.Request(
                  url,
                  token,
                  caCertHash,
                  name,
                  ip,
                  List.of(name, ControlPlane.hostName()).stream().distinct().toList(),
                  JOIN_TIMEOUT));
      String podCidr;
      try (KubernetesClient client = identity.kubelet(name)) {
        podCidr = PodCidrAssignment.await(client, name, JOIN_TIMEOUT);
      }
      node =
          NodeAgent.start(
              new NodeAgent.Settings(
                  dir.path(), name, ip, podCidr, Map.of(), false, containerRuntimeEndpoint),
              identity);
    } catch (RuntimeException e) {
      dir.close();
      throw e;
    }
    System.out.println("Skiff agent is running: node " + name + " (" + ip + ") joined " + url);
    Foreground.runUntilSignalled(dir, node);
  }

  static URI serverUrl(String text) {
    try {
      URI u = new URI(text);
      if (!"https".equals(u.getScheme()) || u.getHost() == null || u.getPath().length() > 1) {
        throw new UserError("--server \"" + text + "\": want https://HOST:PORT");
      }
      return new URI(
          "https", null, u.getHost(), u.getPort() == -1 ? 6443 : u.getPort(), null, null, null);
    } catch (URISyntaxException e) {
      throw new UserError("--server \"" + text + "\": want https://HOST:PORT", e);
    }
  }
}
