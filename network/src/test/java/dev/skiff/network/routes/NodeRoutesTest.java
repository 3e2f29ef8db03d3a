package dev.skiff.network.routes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeRoutesTest {

  static Node node(String name, String podCidr, String ip) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withPodCIDR(podCidr)
            .endSpec()
            .withNewStatus()
            .endStatus();
    if (ip != null) {
      b.editStatus()
          .addNewAddress()
          .withType("Hostname")
          .withAddress(name)
          .endAddress()
          .endStatus();
      b.editStatus()
          .addNewAddress()
          .withType("InternalIP")
          .withAddress(ip)
          .endAddress()
          .endStatus();
    }
    return b.build();
  }

  @Test
  void everyOtherNodeWithAPodCidrAndInternalIpGetsARoute() {
    List<NodeRoute> routes =
        NodeRoutes.desired(
            List.of(
                node("b", "10.42.2.0/24", "192.168.5.2"),
                node("self", "10.42.0.0/24", "192.168.5.1"),
                node("a", "10.42.1.0/24", "192.168.5.3"),
                node("no-cidr", null, "192.168.5.4"),
                node("no-ip", "10.42.9.0/24", null)),
            "self");
    assertEquals(
        List.of(
            new NodeRoute("10.42.1.0/24", "192.168.5.3"),
            new NodeRoute("10.42.2.0/24", "192.168.5.2")),
        routes);
  }
}
