package dev.skiff.network.routes;

import static dev.skiff.network.routes.NodeRoutesTest.node;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.network.testing.TestApiServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Routes follow Node objects created, changed and deleted through the real API server. */
class NodeRouteControllerIntegrationTest {

  /** Records what it is asked to do, in order. */
  private static final class RecordingProgrammer implements RouteProgrammer {
    final List<String> calls = new CopyOnWriteArrayList<>();
    volatile List<NodeRoute> routes = List.of();

    @Override
    public void syncNodeRoutes(Collection<NodeRoute> desired) {
      routes = new ArrayList<>(desired);
      calls.add("sync");
    }

    @Override
    public void installBlackholes(String clusterCidr, String serviceCidr) {
      calls.add("blackholes " + clusterCidr + " " + serviceCidr);
    }

    @Override
    public void removeAll() {
      calls.add("removeAll");
    }
  }

  @Test
  void nodesJoiningMovingAndLeavingUpdateTheRoutes() throws Exception {
    RecordingProgrammer programmer = new RecordingProgrammer();
    try (TestApiServer api = new TestApiServer()) {
      var client = api.client();
      client.nodes().resource(node("self", "10.42.0.0/24", "192.168.50.1")).create();
      client.nodes().resource(node("b", "10.42.1.0/24", "192.168.50.2")).create();
      NodeRouteController controller =
          new NodeRouteController(client, programmer, "self", "10.42.0.0/16", "10.43.0.0/16");
      try {
        controller.start();
        assertEquals("blackholes 10.42.0.0/16 10.43.0.0/16", programmer.calls.getFirst());
        awaitRoutes(programmer, new NodeRoute("10.42.1.0/24", "192.168.50.2"));

        client.nodes().resource(node("c", "10.42.2.0/24", "192.168.50.3")).create();
        client
            .nodes()
            .withName("b")
            .editStatus(
                n -> {
                  n.getStatus().getAddresses().get(1).setAddress("192.168.50.9");
                  return n;
                });
        awaitRoutes(
            programmer,
            new NodeRoute("10.42.1.0/24", "192.168.50.9"),
            new NodeRoute("10.42.2.0/24", "192.168.50.3"));

        client.nodes().withName("b").delete();
        awaitRoutes(programmer, new NodeRoute("10.42.2.0/24", "192.168.50.3"));
      } finally {
        controller.close();
      }
      assertTrue(programmer.calls.getLast().equals("removeAll"));
    }
  }

  private static void awaitRoutes(RecordingProgrammer programmer, NodeRoute... expected) {
    await().atMost(Duration.ofSeconds(10)).until(() -> programmer.routes.equals(List.of(expected)));
  }
}
