package dev.skiff.network.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The DNS server on loopback, asked with dnsjava's resolver as a pod's resolver would. */
class ClusterDnsServerTest {
  private final ClusterRecords records = new ClusterRecords();
  private FakeUpstream upstream;
  private DnsServer server;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    DnsConfig config =
        new DnsConfig("127.0.0.1", 0, "cluster.local", 5, List.of(upstream.address()));
    server = new DnsServer(config, new ClusterZone(records, config.domain(), config.ttlSeconds()));
    server.start();

    records.putService(service("web", "10.43.0.20", "ClusterIP"));
    records.putService(service("nginx", "None", "ClusterIP"));
    records.putService(
        new ServiceBuilder(service("db", null, "ExternalName"))
            .editSpec()
            .withExternalName("db.example.org")
            .endSpec()
            .build());
    records.putSlice(
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName("nginx-1")
            .withLabels(Map.of("kubernetes.io/service-name", "nginx"))
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withName("http")
            .withProtocol("TCP")
            .withPort(8080)
            .endPort()
            .withEndpoints(
                endpoint("10.42.0.5", "web-0", true),
                endpoint("10.42.1.6", "web-1", true),
                endpoint("10.42.1.7", null, true),
                endpoint("10.42.2.8", "web-2", false))
            .build());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    upstream.close();
  }

  private static Service service(String name, String clusterIp, String type) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withType(type)
        .withClusterIP(clusterIp)
        .withClusterIPs(clusterIp == null ? List.of() : List.of(clusterIp))
        .addNewPort()
        .withName("http")
        .withProtocol("TCP")
        .withPort(80)
        .endPort()
        .endSpec()
        .build();
  }

  private static io.fabric8.kubernetes.api.model.discovery.v1.Endpoint endpoint(
      String ip, String hostname, boolean ready) {
    return new EndpointBuilder()
        .withAddresses(ip)
        .withHostname(hostname)
        .withNewConditions()
        .withReady(ready)
        .endConditions()
        .build();
  }

  private Message ask(String name, int type, boolean tcp) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", server.port()));
    resolver.setTCP(tcp);
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
  }

  private static Set<String> answers(Message m) {
    return m.getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }

  @Test
  void clusterIpServiceHasAnAuthoritativeARecordOverUdpAndTcp() throws Exception {
    for (boolean tcp : new boolean[] {false, true}) {
      Message m = ask("web.default.svc.cluster.local.", Type.A, tcp);
      assertEquals(Rcode.NOERROR, m.getRcode());
      assertTrue(m.getHeader().getFlag(Flags.AA));
      assertEquals(Set.of("10.43.0.20"), answers(m));
      assertEquals(5, m.getSection(Section.ANSWER).getFirst().getTTL());
    }
    assertEquals(0, upstream.udpQueries.get() + upstream.tcpQueries.get());
  }

  @Test
  void headlessServiceListsOnlyReadyBackends() throws Exception {
    Message m = ask("nginx.default.svc.cluster.local.", Type.A, false);
    assertEquals(Set.of("10.42.0.5", "10.42.1.6", "10.42.1.7"), answers(m));
  }

  @Test
  void statefulSetPodsHaveStableNamesUnderTheirSubdomain() throws Exception {
    assertEquals(
        Set.of("10.42.1.6"), answers(ask("web-1.nginx.default.svc.cluster.local.", Type.A, false)));
    assertEquals(
        Set.of("10.42.1.7"),
        answers(ask("10-42-1-7.nginx.default.svc.cluster.local.", Type.A, false)));
    assertEquals(
        Rcode.NXDOMAIN, ask("web-2.nginx.default.svc.cluster.local.", Type.A, false).getRcode());
  }

  @Test
  void namedPortsHaveSrvRecordsWithAddressesInAdditional() throws Exception {
    Message clusterIp = ask("_http._tcp.web.default.svc.cluster.local.", Type.SRV, false);
    assertEquals(Set.of("0 100 80 web.default.svc.cluster.local."), answers(clusterIp));
    assertEquals("10.43.0.20", clusterIp.getSection(Section.ADDITIONAL).getFirst().rdataToString());

    Message headless = ask("_http._tcp.nginx.default.svc.cluster.local.", Type.SRV, false);
    Set<String> targets =
        headless.getSection(Section.ANSWER).stream()
            .map(r -> ((SRVRecord) r).getTarget() + ":" + ((SRVRecord) r).getPort())
            .collect(Collectors.toSet());
    assertEquals(
        Set.of(
            "web-0.nginx.default.svc.cluster.local.:8080",
            "web-1.nginx.default.svc.cluster.local.:8080",
            "10-42-1-7.nginx.default.svc.cluster.local.:8080"),
        targets);
    assertEquals(
        Rcode.NXDOMAIN,
        ask("_grpc._tcp.web.default.svc.cluster.local.", Type.SRV, false).getRcode());
  }

  @Test
  void reverseLookupsNameServicesAndEndpoints() throws Exception {
    assertEquals(
        Set.of("web.default.svc.cluster.local."),
        answers(ask("20.0.43.10.in-addr.arpa.", Type.PTR, false)));
    assertEquals(
        Set.of("web-0.nginx.default.svc.cluster.local."),
        answers(ask("5.0.42.10.in-addr.arpa.", Type.PTR, false)));
  }

  @Test
  void podNamesResolveToTheAddressTheyEncode() throws Exception {
    assertEquals(
        Set.of("10.42.3.9"), answers(ask("10-42-3-9.default.pod.cluster.local.", Type.A, false)));
    assertEquals(
        Rcode.NXDOMAIN, ask("not-an-ip.default.pod.cluster.local.", Type.A, false).getRcode());
  }

  @Test
  void missingNamesAndTypesAnswerNxdomainAndNodataWithTheSoa() throws Exception {
    Message missing = ask("nope.default.svc.cluster.local.", Type.A, false);
    assertEquals(Rcode.NXDOMAIN, missing.getRcode());
    assertEquals(Type.SOA, missing.getSection(Section.AUTHORITY).getFirst().getType());
    Message nodata = ask("web.default.svc.cluster.local.", Type.AAAA, false);
    assertEquals(Rcode.NOERROR, nodata.getRcode());
    assertTrue(nodata.getSection(Section.ANSWER).isEmpty());
    assertEquals(Type.SOA, nodata.getSection(Section.AUTHORITY).getFirst().getType());
  }

  @Test
  void externalNameServiceIsACname() throws Exception {
    assertEquals(
        Set.of("db.example.org."), answers(ask("db.default.svc.cluster.local.", Type.A, false)));
  }

  @Test
  void otherNamesAreForwardedUpstreamOnTheClientsTransport() throws Exception {
    Message udp = ask("example.org.", Type.A, false);
    assertEquals(Set.of("192.0.2.53"), answers(udp));
    assertEquals(1, upstream.udpQueries.get());
    Message tcp = ask("example.org.", Type.A, true);
    assertEquals(Set.of("192.0.2.53"), answers(tcp));
    assertEquals(1, upstream.tcpQueries.get());
    ask("1.2.0.192.in-addr.arpa.", Type.PTR, false);
    assertEquals(2, upstream.udpQueries.get(), "an unknown address's PTR is not the cluster's");
  }

  @Test
  void unreachableUpstreamGivesServfail() throws Exception {
    upstream.close();
    assertEquals(Rcode.SERVFAIL, ask("example.org.", Type.A, true).getRcode());
  }
}
