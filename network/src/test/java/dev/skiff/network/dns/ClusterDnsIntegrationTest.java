package dev.skiff.network.dns;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.network.testing.TestApiServer;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Cluster DNS fed by the real API server: names appear and disappear with the objects. */
class ClusterDnsIntegrationTest {

  @Test
  void answersFollowServicesAndSlicesCreatedThroughTheApi() throws Exception {
    try (TestApiServer api = new TestApiServer();
        FakeUpstream upstream = new FakeUpstream()) {
      var client = api.client();
      client
          .services()
          .resource(
              new ServiceBuilder()
                  .withNewMetadata()
                  .withName("web")
                  .withNamespace("default")
                  .endMetadata()
                  .withNewSpec()
                  .withClusterIP("10.43.0.20")
                  .addNewPort()
                  .withName("http")
                  .withPort(80)
                  .endPort()
                  .endSpec()
                  .build())
          .create();
      try (ClusterDns dns =
          new ClusterDns(
              client,
              new DnsConfig("127.0.0.1", 0, "cluster.local", 5, List.of(upstream.address())))) {
        dns.start();
        assertEquals(Set.of("10.43.0.20"), a(dns, "web.default.svc.cluster.local."));

        client
            .services()
            .resource(
                new ServiceBuilder()
                    .withNewMetadata()
                    .withName("db")
                    .withNamespace("default")
                    .endMetadata()
                    .withNewSpec()
                    .withClusterIP("None")
                    .addNewPort()
                    .withName("pg")
                    .withPort(5432)
                    .endPort()
                    .endSpec()
                    .build())
            .create();
        client
            .discovery()
            .v1()
            .endpointSlices()
            .resource(
                new EndpointSliceBuilder()
                    .withNewMetadata()
                    .withName("db-1")
                    .withNamespace("default")
                    .withLabels(Map.of("kubernetes.io/service-name", "db"))
                    .endMetadata()
                    .withAddressType("IPv4")
                    .addNewPort()
                    .withName("pg")
                    .withPort(5432)
                    .withProtocol("TCP")
                    .endPort()
                    .addNewEndpoint()
                    .withAddresses("10.42.0.7")
                    .withHostname("db-0")
                    .endEndpoint()
                    .build())
            .create();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> a(dns, "db-0.db.default.svc.cluster.local.").equals(Set.of("10.42.0.7")));
        assertEquals(Set.of("10.42.0.7"), a(dns, "db.default.svc.cluster.local."));

        client.services().inNamespace("default").withName("web").delete();
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> ask(dns, "web.default.svc.cluster.local.").getRcode() == Rcode.NXDOMAIN);
      }
    }
  }

  private static Message ask(ClusterDns dns, String name) throws Exception {
    SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", dns.port()));
    resolver.setTimeout(Duration.ofSeconds(3));
    return resolver.send(
        Message.newQuery(Record.newRecord(Name.fromString(name), Type.A, DClass.IN)));
  }

  private static Set<String> a(ClusterDns dns, String name) throws Exception {
    return ask(dns, name).getSection(Section.ANSWER).stream()
        .map(Record::rdataToString)
        .collect(Collectors.toSet());
  }
}
