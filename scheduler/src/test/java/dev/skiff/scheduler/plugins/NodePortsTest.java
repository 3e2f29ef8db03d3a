package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.on;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodePortsTest {
  private static Pod withHostPort(String name, String ip, String protocol, int port) {
    var c =
        new ContainerBuilder()
            .withName("c")
            .withImage("busybox")
            .withPorts(
                new ContainerPortBuilder()
                    .withContainerPort(80)
                    .withHostPort(port)
                    .withHostIP(ip)
                    .withProtocol(protocol)
                    .build())
            .build();
    return pod(name, b -> b, c);
  }

  @Test
  void takenHostPortRejectsTheNode() {
    NodeInfo n = NodeInfo.of(node("n"), on(withHostPort("web", null, "TCP", 8080), "n"));
    Status s = filter(framework(List.of(n)), withHostPort("p", null, "TCP", 8080), n);
    assertEquals(Status.Code.UNSCHEDULABLE, s.code());
    assertEquals("node(s) didn't have free ports for the requested pod ports", s.message());
  }

  @Test
  void differentProtocolOrSpecificIpsDoNotConflict() {
    NodeInfo n = NodeInfo.of(node("n"), on(withHostPort("web", "10.0.0.1", "TCP", 8080), "n"));
    var fw = framework(List.of(n));
    assertTrue(filter(fw, withHostPort("p", "10.0.0.1", "UDP", 8080), n).isSuccess());
    assertTrue(filter(fw, withHostPort("p", "10.0.0.2", "TCP", 8080), n).isSuccess());
    assertEquals(
        Status.Code.UNSCHEDULABLE,
        filter(fw, withHostPort("p", "0.0.0.0", "TCP", 8080), n).code(),
        "wildcard IP conflicts with any IP");
  }

  @Test
  void freedPortIsAvailableAgain() {
    var web = on(withHostPort("web", null, "TCP", 8080), "n");
    NodeInfo n = NodeInfo.of(node("n"), web);
    n.removePod(web);
    assertTrue(filter(framework(List.of(n)), withHostPort("p", null, "TCP", 8080), n).isSuccess());
  }
}
