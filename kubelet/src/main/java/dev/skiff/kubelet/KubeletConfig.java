package dev.skiff.kubelet;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one kubelet runs.
 *
 * @param nodeName the Node's name (also the {@code kubernetes.io/hostname} label)
 * @param nodeIp the InternalIP the node reports and pods see as {@code status.hostIP}
 * @param podCidr this node's pod range, or null to take {@code spec.podCIDR} as the control plane
 *     assigns it
 * @param rootDir pod volumes and kubelet state live under it ({@code pods/<uid>/volumes/...})
 * @param podLogDir where containers' CRI logs go ({@code <ns>_<pod>_<uid>/<container>/<n>.log})
 * @param manifestPath directory of static pod manifests (mirrored into the API server as {@code
 *     <name>-<node>}, rescanned every 20 s), or null for none
 * @param reserved resources held back from pods ({@code --system-reserved} plus {@code
 *     --kube-reserved}), subtracted from capacity to give allocatable
 * @param nodeLabels extra labels ({@code --node-labels})
 * @param registerWithTaints taints the Node is created with ({@code --register-with-taints})
 * @param streamingPort the port of the kubelet's streaming server (logs, exec, port-forward); 0
 *     picks a free one
 * @param clusterDns nameservers for pods with {@code dnsPolicy: ClusterFirst} (empty: the node's
 *     resolv.conf is used, as upstream does without {@code --cluster-dns})
 * @param clusterDomain the cluster's DNS domain, {@code cluster.local} by default
 */
public record KubeletConfig(
    String nodeName,
    String nodeIp,
    String podCidr,
    Path rootDir,
    Path podLogDir,
    Path manifestPath,
    Map<String, Quantity> reserved,
    Map<String, String> nodeLabels,
    List<Taint> registerWithTaints,
    int streamingPort,
    List<String> clusterDns,
    String clusterDomain) {

  public static final Path DEFAULT_POD_LOG_DIR = Path.of("/var/log/pods");

  public KubeletConfig {
    Objects.requireNonNull(nodeName, "nodeName");
    Objects.requireNonNull(nodeIp, "nodeIp");
    Objects.requireNonNull(rootDir, "rootDir");
    podLogDir = podLogDir == null ? DEFAULT_POD_LOG_DIR : podLogDir;
    reserved = reserved == null ? Map.of() : Map.copyOf(reserved);
    nodeLabels = nodeLabels == null ? Map.of() : Map.copyOf(nodeLabels);
    registerWithTaints = registerWithTaints == null ? List.of() : List.copyOf(registerWithTaints);
    clusterDns = clusterDns == null ? List.of() : List.copyOf(clusterDns);
    clusterDomain = clusterDomain == null ? "cluster.local" : clusterDomain;
  }

  /** A node with no reservations, labels or taints, logging under {@code podLogDir}. */
  public static KubeletConfig of(String nodeName, String nodeIp, Path rootDir, Path podLogDir) {
    return new KubeletConfig(
        nodeName, nodeIp, null, rootDir, podLogDir, null, null, null, null, 10250, null, null);
  }
}
