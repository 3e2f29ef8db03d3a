package dev.skiff.controllers.servicelb;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.controllers.testing.TestCluster;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServiceLoadBalancerControllerTest {
  private TestCluster cluster;
  private KubernetesClient client;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster();
    client = cluster.client();
    cluster.start(ServiceLoadBalancerController::new);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void loadBalancerGetsTheReadyNodesAddresses() {
    node("node-b", "10.0.0.12", null, true);
    node("node-a", "10.0.0.9,fd00::9", null, true);
    node("node-c", "10.0.0.13", null, false);
    service("web", "LoadBalancer", null, null);

    awaitIngress("web", List.of("10.0.0.12", "10.0.0.9"));
    Service web = client.services().withName("web").get();
    assertEquals("VIP", web.getStatus().getLoadBalancer().getIngress().get(0).getIpMode());

    setReady("node-c", true);
    awaitIngress("web", List.of("10.0.0.12", "10.0.0.13", "10.0.0.9"));
    setReady("node-b", false);
    awaitIngress("web", List.of("10.0.0.13", "10.0.0.9"));

    // As k3s: once a node has an ExternalIP, external addresses are what clients get.
    node("node-d", "10.0.0.14", "203.0.113.4", true);
    awaitIngress("web", List.of("203.0.113.4"));
  }

  @Test
  void localPolicyListsOnlyNodesWithReadyEndpoints() {
    node("node-a", "10.0.0.1", null, true);
    node("node-b", "10.0.0.2", null, true);
    service("local", "LoadBalancer", "Local", null);
    // No endpoint anywhere: no node would accept the traffic, so the address stays pending.
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(30))
        .until(() -> ingressOf("local").isEmpty());

    slice(
        "local", Map.of("10.42.1.5", "node-b", "10.42.0.7", "node-a"), Map.of("10.42.0.7", false));
    awaitIngress("local", List.of("10.0.0.2"));
    slice("local", Map.of("10.42.1.5", "node-b", "10.42.0.7", "node-a"), Map.of());
    awaitIngress("local", List.of("10.0.0.1", "10.0.0.2"));
  }

  @Test
  void serviceThatStopsBeingALoadBalancerLosesItsIngress() {
    node("node-a", "10.0.0.1", null, true);
    service("web", "LoadBalancer", null, null);
    awaitIngress("web", List.of("10.0.0.1"));

    client
        .services()
        .withName("web")
        .edit(
            s -> {
              s.getSpec().setType("ClusterIP");
              s.getSpec().setExternalTrafficPolicy(null);
              s.getSpec().setAllocateLoadBalancerNodePorts(null);
              s.getSpec().getPorts().forEach(p -> p.setNodePort(null));
              return s;
            });
    awaitIngress("web", List.of());
  }

  @Test
  void anotherLoadBalancerClassIsLeftAlone() {
    node("node-a", "10.0.0.1", null, true);
    service("other", "LoadBalancer", null, "example.com/metal");
    service("ours", "LoadBalancer", null, null);
    awaitIngress("ours", List.of("10.0.0.1"));
    assertEquals(List.of(), ingressOf("other"));
  }

  private void awaitIngress(String service, List<String> ips) {
    await().atMost(Duration.ofSeconds(30)).until(() -> ingressOf(service).equals(ips));
  }

  private List<String> ingressOf(String name) {
    Service s = client.services().withName(name).get();
    List<String> ips = new ArrayList<>();
    if (s.getStatus() != null
        && s.getStatus().getLoadBalancer() != null
        && s.getStatus().getLoadBalancer().getIngress() != null) {
      for (LoadBalancerIngress i : s.getStatus().getLoadBalancer().getIngress()) {
        ips.add(i.getIp());
      }
    }
    return ips;
  }

  private void service(String name, String type, String externalPolicy, String lbClass) {
    client
        .services()
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withNewSpec()
                .withType(type)
                .withExternalTrafficPolicy(externalPolicy)
                .withLoadBalancerClass(lbClass)
                .withSelector(Map.of("app", name))
                .addNewPort()
                .withPort(80)
                .endPort()
                .endSpec()
                .build())
        .create();
  }

  /** The Service's one slice: pod IP to node name; {@code notReady} marks endpoints not ready. */
  private void slice(String service, Map<String, String> endpoints, Map<String, Boolean> notReady) {
    var b =
        new EndpointSliceBuilder()
            .withNewMetadata()
            .withName(service + "-abc")
            .withLabels(Map.of("kubernetes.io/service-name", service))
            .endMetadata()
            .withAddressType("IPv4")
            .addNewPort()
            .withPort(8080)
            .endPort();
    endpoints.forEach(
        (ip, node) ->
            b.addToEndpoints(
                new EndpointBuilder()
                    .withAddresses(ip)
                    .withNodeName(node)
                    .withNewConditions()
                    .withReady(notReady.getOrDefault(ip, true))
                    .endConditions()
                    .build()));
    client.discovery().v1().endpointSlices().resource(b.build()).serverSideApply();
  }

  private void node(String name, String internalIp, String externalIp, boolean ready) {
    Node created =
        client
            .nodes()
            .resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
            .create();
    var status =
        new NodeBuilder(created)
            .editOrNewStatus()
            .addNewCondition()
            .withType("Ready")
            .withStatus(ready ? "True" : "False")
            .endCondition()
            .endStatus();
    // Comma-separated, as a dual-stack node lists both; a single-stack Service gets its family's.
    for (String ip : internalIp.split(",")) {
      status
          .editStatus()
          .addNewAddress()
          .withType("InternalIP")
          .withAddress(ip)
          .endAddress()
          .endStatus();
    }
    if (externalIp != null) {
      status
          .editStatus()
          .addNewAddress()
          .withType("ExternalIP")
          .withAddress(externalIp)
          .endAddress()
          .endStatus();
    }
    client.nodes().resource(status.build()).updateStatus();
  }

  private void setReady(String name, boolean ready) {
    Node node = client.nodes().withName(name).get();
    node.getStatus().getConditions().get(0).setStatus(ready ? "True" : "False");
    client.nodes().resource(node).updateStatus();
  }
}
