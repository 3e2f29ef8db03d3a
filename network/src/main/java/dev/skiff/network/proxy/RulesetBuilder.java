package dev.skiff.network.proxy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns service ports and their endpoints into kube-proxy's iptables layout: {@code KUBE-SERVICES}
 * matches a ClusterIP (or external IP) and jumps to the service chain {@code KUBE-SVC-*}, which
 * picks an endpoint chain {@code KUBE-SEP-*} with {@code statistic} probabilities and DNATs to it;
 * NodePorts go through {@code KUBE-NODEPORTS} and {@code KUBE-EXT-*}; marked packets are
 * masqueraded in {@code KUBE-POSTROUTING}; a service without usable endpoints is rejected in the
 * filter table. Load-balancer IPs with {@code loadBalancerSourceRanges} pass through {@code
 * KUBE-FW-*}, which lets the listed sources on to {@code KUBE-EXT-*}; whatever it leaves un-DNATed
 * is dropped by {@code KUBE-PROXY-FIREWALL} in the filter table. One build at a time; the same
 * input gives the same ruleset.
 */
public final class RulesetBuilder {
  public static final String NAT = "nat";
  public static final String FILTER = "filter";
  public static final String SERVICES = "KUBE-SERVICES";
  public static final String NODEPORTS = "KUBE-NODEPORTS";
  public static final String POSTROUTING = "KUBE-POSTROUTING";
  public static final String MARK_MASQ = "KUBE-MARK-MASQ";
  public static final String EXTERNAL_SERVICES = "KUBE-EXTERNAL-SERVICES";
  public static final String FORWARD = "KUBE-FORWARD";
  public static final String PROXY_FIREWALL = "KUBE-PROXY-FIREWALL";

  /**
   * Above this many endpoints in the cluster, per-endpoint rules carry no comment, as upstream's
   * "large cluster mode": it shrinks the restore input by a third.
   */
  public static final int LARGE_CLUSTER_ENDPOINTS = 1000;

  /** {@code 1/k} as upstream prints it, for the usual endpoint counts. */
  private static final String[] PROBABILITIES = new String[256];

  static {
    for (int k = 1; k < PROBABILITIES.length; k++) {
      PROBABILITIES[k] = String.format(Locale.ROOT, "%.10f", 1.0 / k);
    }
  }

  private final ProxyConfig config;
  private boolean largeCluster;

  private final ChainNameCache names = new ChainNameCache();

  public RulesetBuilder(ProxyConfig config) {
    this.config = config;
  }

  /** {@code endpoints} is keyed by {@link ServicePortInfo#name()}. */
  public Ruleset build(
      Collection<ServicePortInfo> ports, Map<String, List<EndpointInfo>> endpoints) {
    names.startBuild();
    Ruleset r = new Ruleset();
    largeCluster = endpoints.values().stream().mapToInt(List::size).sum() > LARGE_CLUSTER_ENDPOINTS;
    for (String chain : List.of(SERVICES, NODEPORTS, POSTROUTING, MARK_MASQ)) {
      r.chain(NAT, chain);
    }
    for (String chain : List.of(SERVICES, EXTERNAL_SERVICES, FORWARD, PROXY_FIREWALL)) {
      r.chain(FILTER, chain);
    }
    String mark = config.masqueradeMark();
    String bit = mark.substring(0, mark.indexOf('/'));
    r.add(NAT, POSTROUTING, "-m mark ! --mark " + mark + " -j RETURN");
    r.add(NAT, POSTROUTING, "-j MARK --xor-mark " + bit);
    r.add(
        NAT,
        POSTROUTING,
        comment("kubernetes service traffic requiring SNAT") + " -j MASQUERADE --random-fully");
    r.add(NAT, MARK_MASQ, "-j MARK --or-mark " + bit);

    List<ServicePortInfo> sorted = new ArrayList<>(ports);
    sorted.sort(Comparator.comparing(ServicePortInfo::name));
    for (ServicePortInfo port : sorted) {
      servicePort(r, port, endpoints.getOrDefault(port.name(), List.of()));
    }

    r.add(
        NAT,
        SERVICES,
        comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain")
            + " -m addrtype --dst-type LOCAL -j "
            + NODEPORTS);
    r.add(FILTER, FORWARD, "-m conntrack --ctstate INVALID -j DROP");
    r.add(
        FILTER,
        FORWARD,
        comment("kubernetes forwarding rules") + " -m mark --mark " + mark + " -j ACCEPT");
    r.add(
        FILTER,
        FORWARD,
        comment("kubernetes forwarding conntrack rule")
            + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");
    return r;
  }

  private void servicePort(Ruleset r, ServicePortInfo port, List<EndpointInfo> all) {
    String name = port.name();
    String proto = port.protocol().toLowerCase(Locale.ROOT);
    String match = "-m " + proto + " -p " + proto;
    List<EndpointInfo> cluster = usable(all, false);
    List<EndpointInfo> local = usable(all, true);
    List<EndpointInfo> internal = port.internalPolicyLocal() ? local : cluster;
    List<EndpointInfo> external = port.externalPolicyLocal() ? local : cluster;
    String svc = names.get("KUBE-SVC-", name + proto);
    String svl = names.get("KUBE-SVL-", name + proto);
    String ext = names.get("KUBE-EXT-", name + proto);
    String ip = port.clusterIp();
    boolean usesExt = port.hasExternalDestinations() && !external.isEmpty();
    boolean usesSvc =
        !cluster.isEmpty() && ((ip != null && !port.internalPolicyLocal()) || usesExt);
    boolean usesSvl =
        !local.isEmpty()
            && ((ip != null && port.internalPolicyLocal())
                || (usesExt && port.externalPolicyLocal()));

    if (ip != null) {
      String dest = "-d " + hostCidr(ip) + " --dport " + port.port();
      if (!internal.isEmpty()) {
        r.add(
            NAT,
            SERVICES,
            comment(name + " cluster IP")
                + " "
                + match
                + " "
                + dest
                + " -j "
                + (port.internalPolicyLocal() ? svl : svc));
      } else {
        r.add(
            FILTER,
            SERVICES,
            noEndpoints(name, cluster) + " " + match + " " + dest + rejectOr(cluster));
      }
    }
    for (String externalIp : port.externalIps()) {
      destination(r, port, match, externalIp, "external IP", ext, external, cluster);
    }
    String fw = names.get("KUBE-FW-", name + proto);
    boolean usesFw = usesExt && !port.loadBalancerIps().isEmpty() && !port.sourceRanges().isEmpty();
    for (String lbIp : port.loadBalancerIps()) {
      destination(r, port, match, lbIp, "loadbalancer IP", usesFw ? fw : ext, external, cluster);
      if (usesFw) {
        r.add(
            FILTER,
            PROXY_FIREWALL,
            comment(name + " traffic not accepted by " + fw)
                + " "
                + match
                + " -d "
                + hostCidr(lbIp)
                + " --dport "
                + port.port()
                + " -j DROP");
      }
    }
    if (port.nodePort() > 0) {
      if (!external.isEmpty()) {
        r.add(
            NAT,
            NODEPORTS,
            comment(name) + " " + match + " --dport " + port.nodePort() + " -j " + ext);
      } else {
        r.add(
            FILTER,
            EXTERNAL_SERVICES,
            noEndpoints(name, cluster)
                + " -m addrtype --dst-type LOCAL "
                + match
                + " --dport "
                + port.nodePort()
                + rejectOr(cluster));
      }
    }

    if (usesFw) {
      r.chain(NAT, fw);
      for (String range : port.sourceRanges()) {
        r.add(NAT, fw, comment(name + " loadbalancer IP") + " -s " + range + " -j " + ext);
      }
    }
    if (usesExt) {
      externalChain(r, name, ext, svc, svl, port.externalPolicyLocal(), !cluster.isEmpty());
    }
    if (usesSvc) {
      r.chain(NAT, svc);
      if (ip != null && (config.masqueradeAll() || config.clusterCidr() != null)) {
        String source = config.masqueradeAll() ? "" : " ! -s " + config.clusterCidr();
        r.add(
            NAT,
            svc,
            comment(name + " cluster IP")
                + " "
                + match
                + " -d "
                + hostCidr(ip)
                + " --dport "
                + port.port()
                + source
                + " -j "
                + MARK_MASQ);
      }
      endpointJumps(r, svc, port, proto, cluster);
    }
    if (usesSvl) {
      r.chain(NAT, svl);
      endpointJumps(r, svl, port, proto, local);
    }
  }

  private void destination(
      Ruleset r,
      ServicePortInfo port,
      String match,
      String address,
      String what,
      String target,
      List<EndpointInfo> external,
      List<EndpointInfo> cluster) {
    String dest = "-d " + hostCidr(address) + " --dport " + port.port();
    if (!external.isEmpty()) {
      r.add(
          NAT,
          SERVICES,
          comment(port.name() + " " + what) + " " + match + " " + dest + " -j " + target);
    } else {
      r.add(
          FILTER,
          EXTERNAL_SERVICES,
          noEndpoints(port.name(), cluster) + " " + match + " " + dest + rejectOr(cluster));
    }
  }

  private void externalChain(
      Ruleset r,
      String name,
      String ext,
      String svc,
      String svl,
      boolean policyLocal,
      boolean haveCluster) {
    r.chain(NAT, ext);
    if (!policyLocal) {
      r.add(
          NAT,
          ext,
          comment("masquerade traffic for " + name + " external destinations")
              + " -j "
              + MARK_MASQ);
      r.add(NAT, ext, "-j " + svc);
      return;
    }
    // Local policy keeps the client's address, except for traffic that starts on this node or in
    // a pod: that one may go to any endpoint, as upstream does.
    if (haveCluster) {
      if (config.clusterCidr() != null) {
        r.add(
            NAT,
            ext,
            "-s "
                + config.clusterCidr()
                + " "
                + comment("pod traffic for " + name + " external destinations")
                + " -j "
                + svc);
      }
      r.add(
          NAT,
          ext,
          comment("masquerade LOCAL traffic for " + name + " external destinations")
              + " -m addrtype --src-type LOCAL -j "
              + MARK_MASQ);
      r.add(
          NAT,
          ext,
          comment("route LOCAL traffic for " + name + " external destinations")
              + " -m addrtype --src-type LOCAL -j "
              + svc);
    }
    r.add(NAT, ext, "-j " + svl);
  }

  private void endpointJumps(
      Ruleset r, String chain, ServicePortInfo port, String proto, List<EndpointInfo> eps) {
    String name = port.name();
    if (port.affinitySeconds() > 0) {
      for (EndpointInfo ep : eps) {
        String sep = names.get("KUBE-SEP-", name + proto + ep.hostPort());
        r.add(
            NAT,
            chain,
            endpointComment(name + " -> " + ep.hostPort())
                + "-m recent --name "
                + sep
                + " --rcheck --seconds "
                + port.affinitySeconds()
                + " --reap -j "
                + sep);
      }
    }
    int n = eps.size();
    for (int i = 0; i < n; i++) {
      EndpointInfo ep = eps.get(i);
      String sep = names.get("KUBE-SEP-", name + proto + ep.hostPort());
      String pick =
          i < n - 1 ? "-m statistic --mode random --probability " + probability(n - i) + " " : "";
      r.add(NAT, chain, endpointComment(name + " -> " + ep.hostPort()) + pick + "-j " + sep);
      endpointChain(r, sep, port, proto, ep);
    }
  }

  private void endpointChain(
      Ruleset r, String sep, ServicePortInfo port, String proto, EndpointInfo ep) {
    if (!r.rules(NAT, sep).isEmpty()) {
      return;
    }
    String name = port.name();
    // Hairpin: a pod reaching itself through its Service must be masqueraded, or it would answer
    // its own packet directly.
    r.add(NAT, sep, endpointComment(name) + "-s " + hostCidr(ep.ip()) + " -j " + MARK_MASQ);
    String affinity = port.affinitySeconds() > 0 ? "-m recent --name " + sep + " --set " : "";
    r.add(
        NAT,
        sep,
        endpointComment(name)
            + affinity
            + "-m "
            + proto
            + " -p "
            + proto
            + " -j DNAT --to-destination "
            + ep.hostPort());
  }

  private static String probability(int k) {
    return k < PROBABILITIES.length
        ? PROBABILITIES[k]
        : String.format(Locale.ROOT, "%.10f", 1.0 / k);
  }

  /**
   * Ready endpoints; when none is ready, the serving ones that are terminating, so connections
   * still land somewhere during a rollout's last moments.
   */
  private List<EndpointInfo> usable(List<EndpointInfo> all, boolean localOnly) {
    List<EndpointInfo> ready = new ArrayList<>();
    List<EndpointInfo> terminating = new ArrayList<>();
    for (EndpointInfo ep : all) {
      if (localOnly && !config.nodeName().equals(ep.nodeName())) {
        continue;
      }
      if (ep.ready()) {
        ready.add(ep);
      } else if (ep.serving() && ep.terminating()) {
        terminating.add(ep);
      }
    }
    return ready.isEmpty() ? terminating : ready;
  }

  /** The comment and a trailing space, or nothing in large cluster mode. */
  private String endpointComment(String text) {
    return largeCluster ? "" : comment(text) + " ";
  }

  private static String noEndpoints(String name, List<EndpointInfo> cluster) {
    return comment(name + (cluster.isEmpty() ? " has no endpoints" : " has no local endpoints"));
  }

  /** No endpoints at all: refuse at once. Only remote ones: drop, as upstream. */
  private static String rejectOr(List<EndpointInfo> cluster) {
    return cluster.isEmpty() ? " -j REJECT" : " -j DROP";
  }

  private static String hostCidr(String ip) {
    return ip + (ip.contains(":") ? "/128" : "/32");
  }

  private static String comment(String text) {
    return "-m comment --comment \"" + text + "\"";
  }
}
