package dev.skiff.network.proxy;

import static dev.skiff.network.proxy.ProxyFixtures.nodePortService;
import static dev.skiff.network.proxy.ProxyFixtures.service;
import static dev.skiff.network.proxy.ProxyFixtures.slice;
import static dev.skiff.network.proxy.RulesetBuilder.FILTER;
import static dev.skiff.network.proxy.RulesetBuilder.NAT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RulesetBuilderTest {
  private final RulesetBuilder builder =
      new RulesetBuilder(ProxyConfig.of("node-a", "10.42.0.0/16"));

  private Ruleset build(List<Service> services, List<EndpointSlice> slices) {
    List<ServicePortInfo> ports = new ArrayList<>();
    services.forEach(s -> ports.addAll(ProxyInputs.servicePorts(s)));
    return builder.build(ports, ProxyInputs.endpoints(slices));
  }

  @Test
  void chainNamesAreUpstreamsHashes() {
    assertEquals("KUBE-SVC-XPGD46QRK7WJZT7O", ChainNames.service("ns1/svc1:p80", "tcp"));
    assertEquals(
        "KUBE-SEP-SXIVWICOYRO3J4NJ", ChainNames.endpoint("ns1/svc1:p80", "tcp", "10.180.0.1:80"));
  }

  @Test
  void clusterIpSpreadsOverThreeEndpointsWithUpstreamsProbabilities() {
    Ruleset r =
        build(
            List.of(service("ns1", "svc1", "172.30.0.41", 80).build()),
            List.of(slice("ns1", "svc1", 80, 8080, "10.180.0.1", "10.180.0.2", "10.180.0.3")));
    String svc = "KUBE-SVC-XPGD46QRK7WJZT7O";
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41/32"
                + " --dport 80 -j "
                + svc,
            "-m comment --comment \"kubernetes service nodeports; NOTE: this must be the last rule"
                + " in this chain\" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"),
        r.rules(NAT, "KUBE-SERVICES"));
    List<String> svcRules = r.rules(NAT, svc);
    assertEquals(4, svcRules.size());
    assertEquals(
        "-m comment --comment \"ns1/svc1:p80 cluster IP\" -m tcp -p tcp -d 172.30.0.41/32"
            + " --dport 80 ! -s 10.42.0.0/16 -j KUBE-MARK-MASQ",
        svcRules.get(0));
    String sep1 = ChainNames.endpoint("ns1/svc1:p80", "tcp", "10.180.0.1:8080");
    String sep3 = ChainNames.endpoint("ns1/svc1:p80", "tcp", "10.180.0.3:8080");
    assertEquals(
        "-m comment --comment \"ns1/svc1:p80 -> 10.180.0.1:8080\" -m statistic --mode random"
            + " --probability 0.3333333333 -j "
            + sep1,
        svcRules.get(1));
    assertTrue(svcRules.get(2).contains("--probability 0.5000000000"));
    assertEquals(
        "-m comment --comment \"ns1/svc1:p80 -> 10.180.0.3:8080\" -j " + sep3, svcRules.get(3));
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/svc1:p80\" -s 10.180.0.1/32 -j KUBE-MARK-MASQ",
            "-m comment --comment \"ns1/svc1:p80\" -m tcp -p tcp -j DNAT --to-destination"
                + " 10.180.0.1:8080"),
        r.rules(NAT, sep1));
    assertEquals(List.of(), r.rules(FILTER, "KUBE-SERVICES"));
    assertEquals(
        List.of(
            "-m mark ! --mark 0x4000/0x4000 -j RETURN",
            "-j MARK --xor-mark 0x4000",
            "-m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE"
                + " --random-fully"),
        r.rules(NAT, "KUBE-POSTROUTING"));
    assertEquals(List.of("-j MARK --or-mark 0x4000"), r.rules(NAT, "KUBE-MARK-MASQ"));
  }

  @Test
  void serviceWithoutEndpointsIsRejectedInFilter() {
    Ruleset r =
        build(
            List.of(nodePortService("ns1", "empty", "172.30.0.50", 80, 30080).build()),
            List.of(slice("ns1", "empty", 80, 8080, "10.180.0.9@node-b?")));
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/empty:p80 has no endpoints\" -m tcp -p tcp -d"
                + " 172.30.0.50/32 --dport 80 -j REJECT"),
        r.rules(FILTER, "KUBE-SERVICES"));
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/empty:p80 has no endpoints\" -m addrtype --dst-type LOCAL"
                + " -m tcp -p tcp --dport 30080 -j REJECT"),
        r.rules(FILTER, "KUBE-EXTERNAL-SERVICES"));
    assertFalse(
        r.chains(NAT).keySet().stream().anyMatch(c -> c.startsWith("KUBE-SVC-")),
        "no service chain without endpoints");
  }

  @Test
  void terminatingEndpointsServeOnlyWhenNothingIsReady() {
    Service svc = service("ns1", "roll", "172.30.0.60", 80).build();
    Ruleset mixed =
        build(List.of(svc), List.of(slice("ns1", "roll", 80, 80, "10.180.0.1", "10.180.0.2!")));
    String chain = ChainNames.service("ns1/roll:p80", "tcp");
    assertEquals(2, mixed.rules(NAT, chain).size(), "masquerade rule plus the one ready endpoint");
    assertTrue(mixed.rules(NAT, chain).get(1).contains("10.180.0.1:80"));

    Ruleset onlyTerminating =
        build(List.of(svc), List.of(slice("ns1", "roll", 80, 80, "10.180.0.2!")));
    assertTrue(onlyTerminating.rules(NAT, chain).get(1).contains("10.180.0.2:80"));
  }

  @Test
  void nodePortGoesThroughExtChainThatMasquerades() {
    Ruleset r =
        build(
            List.of(nodePortService("ns1", "web", "172.30.0.70", 80, 30080).build()),
            List.of(slice("ns1", "web", 80, 8080, "10.180.0.1")));
    String ext = ChainNames.external("ns1/web:p80", "tcp");
    String svc = ChainNames.service("ns1/web:p80", "tcp");
    assertEquals(
        List.of("-m comment --comment \"ns1/web:p80\" -m tcp -p tcp --dport 30080 -j " + ext),
        r.rules(NAT, "KUBE-NODEPORTS"));
    assertEquals(
        List.of(
            "-m comment --comment \"masquerade traffic for ns1/web:p80 external destinations\" -j"
                + " KUBE-MARK-MASQ",
            "-j " + svc),
        r.rules(NAT, ext));
  }

  @Test
  void externalTrafficPolicyLocalKeepsRemoteEndpointsOutOfExternalTraffic() {
    Ruleset r =
        build(
            List.of(
                nodePortService("ns1", "local", "172.30.0.80", 80, 30090)
                    .editSpec()
                    .withExternalTrafficPolicy("Local")
                    .endSpec()
                    .build()),
            List.of(slice("ns1", "local", 80, 80, "10.180.0.1@node-a", "10.180.0.2@node-b")));
    String ext = ChainNames.external("ns1/local:p80", "tcp");
    String svl = ChainNames.serviceLocal("ns1/local:p80", "tcp");
    String svc = ChainNames.service("ns1/local:p80", "tcp");
    List<String> extRules = r.rules(NAT, ext);
    assertEquals("-j " + svl, extRules.getLast());
    assertTrue(extRules.getFirst().startsWith("-s 10.42.0.0/16 "));
    assertFalse(extRules.stream().anyMatch(rule -> rule.contains("masquerade traffic for")));
    assertEquals(1, r.rules(NAT, svl).size());
    assertTrue(r.rules(NAT, svl).getFirst().contains("10.180.0.1:80"));
    assertEquals(3, r.rules(NAT, svc).size(), "cluster IP still reaches both endpoints");
  }

  private static Service loadBalancer(String name, String ip, List<String> sourceRanges) {
    return nodePortService("ns1", name, ip, 80, 30100)
        .editSpec()
        .withType("LoadBalancer")
        .withLoadBalancerSourceRanges(sourceRanges)
        .endSpec()
        .withNewStatus()
        .withNewLoadBalancer()
        .addNewIngress()
        .withIp("192.168.5.10")
        .endIngress()
        .endLoadBalancer()
        .endStatus()
        .build();
  }

  @Test
  void loadBalancerIpGoesStraightToTheExtChainWithoutSourceRanges() {
    Ruleset r =
        build(
            List.of(loadBalancer("lb", "172.30.0.95", List.of())),
            List.of(slice("ns1", "lb", 80, 8080, "10.180.0.1")));
    String ext = ChainNames.external("ns1/lb:p80", "tcp");
    assertTrue(
        r.rules(NAT, "KUBE-SERVICES")
            .contains(
                "-m comment --comment \"ns1/lb:p80 loadbalancer IP\" -m tcp -p tcp -d"
                    + " 192.168.5.10/32 --dport 80 -j "
                    + ext));
    assertFalse(r.chains(NAT).containsKey(ChainNames.firewall("ns1/lb:p80", "tcp")));
    assertEquals(List.of(), r.rules(FILTER, "KUBE-PROXY-FIREWALL"));
  }

  @Test
  void loadBalancerIpInProxyModeGetsNoRule() {
    Service lb = loadBalancer("proxied", "172.30.0.97", List.of());
    lb.getStatus().getLoadBalancer().getIngress().getFirst().setIpMode("Proxy");
    Ruleset r = build(List.of(lb), List.of(slice("ns1", "proxied", 80, 8080, "10.180.0.1")));
    assertFalse(
        r.rules(NAT, "KUBE-SERVICES").stream().anyMatch(rule -> rule.contains("192.168.5.10")));
  }

  @Test
  void sourceRangesLetOnlyListedClientsThroughTheFirewallChain() {
    Ruleset r =
        build(
            List.of(loadBalancer("fw", "172.30.0.96", List.of("203.0.113.0/24", " 10.1.2.3/8"))),
            List.of(slice("ns1", "fw", 80, 8080, "10.180.0.1")));
    String fw = ChainNames.firewall("ns1/fw:p80", "tcp");
    String ext = ChainNames.external("ns1/fw:p80", "tcp");
    assertTrue(
        r.rules(NAT, "KUBE-SERVICES")
            .contains(
                "-m comment --comment \"ns1/fw:p80 loadbalancer IP\" -m tcp -p tcp -d"
                    + " 192.168.5.10/32 --dport 80 -j "
                    + fw));
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/fw:p80 loadbalancer IP\" -s 203.0.113.0/24 -j " + ext,
            "-m comment --comment \"ns1/fw:p80 loadbalancer IP\" -s 10.0.0.0/8 -j " + ext),
        r.rules(NAT, fw));
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/fw:p80 traffic not accepted by "
                + fw
                + "\" -m tcp -p tcp -d 192.168.5.10/32 --dport 80 -j DROP"),
        r.rules(FILTER, "KUBE-PROXY-FIREWALL"));
    assertTrue(
        r.rules(NAT, "KUBE-NODEPORTS").getFirst().endsWith("--dport 30100 -j " + ext),
        "the NodePort is not behind the firewall, as upstream");
  }

  @Test
  void internalTrafficPolicyLocalWithOnlyRemoteEndpointsDrops() {
    Ruleset r =
        build(
            List.of(
                service("ns1", "itp", "172.30.0.90", 80)
                    .editSpec()
                    .withInternalTrafficPolicy("Local")
                    .endSpec()
                    .build()),
            List.of(slice("ns1", "itp", 80, 80, "10.180.0.2@node-b")));
    assertEquals(
        List.of(
            "-m comment --comment \"ns1/itp:p80 has no local endpoints\" -m tcp -p tcp -d"
                + " 172.30.0.90/32 --dport 80 -j DROP"),
        r.rules(FILTER, "KUBE-SERVICES"));
  }

  @Test
  void clientIpAffinityChecksRecentListBeforeRandomPick() {
    Ruleset r =
        build(
            List.of(
                service("ns1", "sticky", "172.30.0.95", 80)
                    .editSpec()
                    .withSessionAffinity("ClientIP")
                    .withNewSessionAffinityConfig()
                    .withNewClientIP()
                    .withTimeoutSeconds(600)
                    .endClientIP()
                    .endSessionAffinityConfig()
                    .endSpec()
                    .build()),
            List.of(slice("ns1", "sticky", 80, 80, "10.180.0.1", "10.180.0.2")));
    String svc = ChainNames.service("ns1/sticky:p80", "tcp");
    String sep1 = ChainNames.endpoint("ns1/sticky:p80", "tcp", "10.180.0.1:80");
    List<String> rules = r.rules(NAT, svc);
    assertEquals(
        "-m comment --comment \"ns1/sticky:p80 -> 10.180.0.1:80\" -m recent --name "
            + sep1
            + " --rcheck --seconds 600 --reap -j "
            + sep1,
        rules.get(1));
    assertTrue(rules.get(3).contains("--probability 0.5000000000"));
    assertTrue(r.rules(NAT, sep1).get(1).contains("-m recent --name " + sep1 + " --set"));
  }

  @Test
  void headlessAndExternalNameServicesGetNoRules() {
    Ruleset r =
        build(
            List.of(
                service("ns1", "headless", "None", 80).build(),
                service("ns1", "ext", null, 80)
                    .editSpec()
                    .withType("ExternalName")
                    .withExternalName("example.org")
                    .endSpec()
                    .build()),
            List.of(slice("ns1", "headless", 80, 80, "10.180.0.1")));
    assertEquals(1, r.rules(NAT, "KUBE-SERVICES").size(), "only the nodeports jump");
    assertEquals(List.of(), r.rules(FILTER, "KUBE-SERVICES"));
  }

  @Test
  void largeClustersDropPerEndpointCommentsButKeepTheRules() {
    List<Service> services = new ArrayList<>();
    List<EndpointSlice> slices = new ArrayList<>();
    for (int s = 0; s < 201; s++) {
      services.add(service("big", "svc" + s, "172.30.1." + (s + 1), 80).build());
      String[] eps = new String[5];
      for (int e = 0; e < 5; e++) {
        eps[e] = "10.181." + s + "." + (e + 1);
      }
      slices.add(slice("big", "svc" + s, 80, 80, eps));
    }
    Ruleset r = build(services, slices);
    String svc = ChainNames.service("big/svc0:p80", "tcp");
    String sep = ChainNames.endpoint("big/svc0:p80", "tcp", "10.181.0.1:80");
    assertEquals(
        "-m statistic --mode random --probability 0.2000000000 -j " + sep,
        r.rules(NAT, svc).get(1));
    assertEquals(
        List.of(
            "-s 10.181.0.1/32 -j KUBE-MARK-MASQ",
            "-m tcp -p tcp -j DNAT --to-destination 10.181.0.1:80"),
        r.rules(NAT, sep));
    assertTrue(r.rules(NAT, "KUBE-SERVICES").getFirst().contains("cluster IP\""));
  }
}
