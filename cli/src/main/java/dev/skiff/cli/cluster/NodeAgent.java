package dev.skiff.cli.cluster;

import dev.skiff.apiserver.admission.NodeRestriction;
import dev.skiff.cli.UserError;
import dev.skiff.cli.host.NodeRecord;
import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.server.ServingTls;
import dev.skiff.network.egress.EgressMasquerade;
import dev.skiff.network.proxy.IptablesCommand;
import dev.skiff.network.proxy.ProxyConfig;
import dev.skiff.network.proxy.ProxyHealthServer;
import dev.skiff.network.proxy.ServiceProxy;
import dev.skiff.network.routes.HostGwRouteProgrammer;
import dev.skiff.network.routes.NodeRouteController;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ImageService;
import dev.skiff.runtime.cri.CriNode;
import dev.skiff.runtime.runc.RuncNode;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This machine as a node: the kubelet over the runc runtime, the service proxy and the routes to
 * other nodes' pods; each talks to the API server with its own identity.
 */
public final class NodeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
  public static final String CLUSTER_CIDR = "10.42.0.0/16";
  public static final String SERVICE_CIDR = "10.43.0.0/16";
  public static final String CLUSTER_DNS_IP = "10.43.0.10";

  private final List<AutoCloseable> started = new ArrayList<>();

  /**
   * @param podCidr this node's pod range, or null to wait for the control plane to assign one
   */
  public record Settings(
      Path dataDir,
      String nodeName,
      String nodeIp,
      String podCidr,
      Map<String, String> labels,
      boolean runClusterDns,
      String containerRuntimeEndpoint) {}

  /** This process's node, beside the control plane whose CA issues its identities. */
  public static NodeAgent start(Settings s, ComponentClients clients) {
    return start(s, NodeCredentials.issuedBy(clients), clients);
  }

  /** A joined node, with the credentials it obtained from the cluster. */
  public static NodeAgent start(Settings s, NodeCredentials credentials) {
    if (s.runClusterDns()) {
      throw new IllegalArgumentException("cluster DNS runs beside the control plane");
    }
    return start(s, credentials, null);
  }

  private static NodeAgent start(
      Settings s, NodeCredentials credentials, ComponentClients clients) {
    var agent = new NodeAgent();
    try {
      agent.startAll(s, credentials, clients);
      return agent;
    } catch (RuntimeException | java.io.IOException e) {
      agent.close();
      if (e instanceof UserError u) {
        throw u;
      }
      throw new UserError("cannot start the node: " + ControlPlane.rootMessage(e), e);
    }
  }

  /**
   * @param clients the control plane's component clients; null on a joined node
   */
  private void startAll(Settings s, NodeCredentials credentials, ComponentClients clients)
      throws java.io.IOException {
    // First, so that a reset finds what it needs however far this start gets.
    new NodeRecord(s.podCidr(), s.containerRuntimeEndpoint()).write(s.dataDir());
    ContainerRuntime runtime;
    ImageService images;
    if (s.containerRuntimeEndpoint() == null) {
      RuncNode runc = RuncNode.create(s.dataDir(), s.podCidr(), p -> log.debug("pull {}", p));
      runtime = runc.containerRuntime();
      images = runc.imageService();
    } else {
      CriNode cri =
          CriNode.connect(
              s.containerRuntimeEndpoint(),
              s.podCidr(),
              RuncNode.BRIDGE,
              CriNode.CNI_CONF_DIR,
              s.dataDir().resolve("runtime").resolve("cni"));
      started.add(cri);
      runtime = cri.containerRuntime();
      images = cri.imageService();
      log.info("pods run in the CRI runtime at {}", s.containerRuntimeEndpoint());
    }
    KubernetesClient kubeletClient = credentials.kubelet(s.nodeName());
    started.add(kubeletClient);
    // Labels a kubelet may not set on itself (NodeRestriction) are the administrator's to apply,
    // as kubeadm marks its control plane.
    Map<String, String> kubeletLabels = new HashMap<>();
    Map<String, String> assignedLabels = new HashMap<>();
    s.labels()
        .forEach(
            (k, v) ->
                (NodeRestriction.kubeletMaySet(k) ? kubeletLabels : assignedLabels).put(k, v));
    var config =
        new KubeletConfig(
            s.nodeName(),
            s.nodeIp(),
            s.podCidr(),
            s.dataDir().resolve("kubelet"),
            KubeletConfig.DEFAULT_POD_LOG_DIR,
            null,
            null,
            kubeletLabels,
            null,
            0,
            List.of(CLUSTER_DNS_IP),
            "cluster.local");
    ServingTls tls = credentials.kubeletServing(s.nodeName(), s.nodeIp());
    var kubelet = new Kubelet(kubeletClient, runtime, images, config, tls);
    kubelet.start();
    started.add(kubelet);
    if (!assignedLabels.isEmpty() && clients == null) {
      log.warn(
          "node labels {} are not a kubelet's to set (NodeRestriction): an administrator applies"
              + " them with kubectl label node",
          assignedLabels.keySet());
    } else if (!assignedLabels.isEmpty()) {
      try (KubernetesClient admin =
          clients.forUser("skiff-bootstrap", "skiff:bootstrap", List.of("system:masters"))) {
        // A merge patch without a resourceVersion: the node lifecycle controller and the kubelet
        // write this Node meanwhile, and an edit (read, then patch at that version) could conflict.
        admin
            .nodes()
            .withName(s.nodeName())
            .patch(
                PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("metadata", Map.of("labels", assignedLabels))));
      }
    }
    log.info("kubelet started for node {} ({}), pods in {}", s.nodeName(), s.nodeIp(), s.podCidr());

    KubernetesClient proxyClient = credentials.proxy(s.nodeName());
    started.add(proxyClient);
    var routes =
        new NodeRouteController(
            proxyClient, HostGwRouteProgrammer.host(), s.nodeName(), CLUSTER_CIDR, SERVICE_CIDR);
    routes.start();
    started.add(routes);
    var proxy =
        new ServiceProxy(
            proxyClient,
            ProxyConfig.of(s.nodeName(), CLUSTER_CIDR),
            IptablesCommand.host(),
            Duration.ofMillis(100));
    try {
      proxy.serveHealthChecks("0.0.0.0", ProxyHealthServer.DEFAULT_PORT);
    } catch (IOException e) {
      log.warn(
          "kube-proxy's health port {} is taken ({}); load-balancer health checks are served all"
              + " the same",
          ProxyHealthServer.DEFAULT_PORT,
          e.getMessage());
    }
    proxy.start();
    started.add(proxy);
    started.add(EgressMasquerade.install(IptablesCommand.host(), CLUSTER_CIDR));
    log.info("service proxy started, pod egress masqueraded");

    if (s.runClusterDns()) {
      // One DNS server per cluster, on the node that runs the control plane.
      started.addAll(ClusterDnsServer.start(clients, s.nodeIp()));
      log.info("cluster DNS on {}:53 behind {}", s.nodeIp(), CLUSTER_DNS_IP);
    }
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping: {}", ControlPlane.rootMessage(e));
      }
    }
    started.clear();
  }
}
