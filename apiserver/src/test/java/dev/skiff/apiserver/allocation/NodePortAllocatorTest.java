package dev.skiff.apiserver.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NodePortAllocatorTest {

  private static Service nodePortService(String name, int... ports) {
    ServiceBuilder b =
        new ServiceBuilder()
            .withNewMetadata()
            .withNamespace("default")
            .withName(name)
            .endMetadata()
            .withNewSpec()
            .withType("NodePort")
            .endSpec();
    for (int port : ports) {
      b.editSpec()
          .addNewPort()
          .withProtocol("TCP")
          .withPort(80)
          .withNodePort(port)
          .endPort()
          .addNewPort()
          .withProtocol("UDP")
          .withPort(80)
          .withNodePort(port)
          .endPort()
          .endSpec();
    }
    return b.build();
  }

  @Test
  void defaultRangeRejectsTakenAndOutsidePortsWithUpstreamsWords() throws Exception {
    NodePortAllocator a = new NodePortAllocator("30000-32767");
    a.allocate(30080);
    AllocationException taken = assertThrows(AllocationException.class, () -> a.allocate(30080));
    assertEquals("provided port is already allocated", taken.getMessage());
    AllocationException outside = assertThrows(AllocationException.class, () -> a.allocate(8080));
    assertEquals(
        "provided port is not in the valid range. The range of valid ports is 30000-32767",
        outside.getMessage());
    assertThrows(AllocationException.class, () -> a.allocate(32768));
    a.allocate(32767);
    assertEquals(2766, a.free());
  }

  @Test
  void fillsTheWholeRangeThenReportsFull() throws Exception {
    NodePortAllocator a = new NodePortAllocator("31000+99");
    assertEquals("31000-31099", a.range());
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      int port = a.allocateNext();
      assertTrue(port >= 31000 && port <= 31099);
      assertTrue(seen.add(port));
    }
    assertEquals(
        "range is full", assertThrows(AllocationException.class, a::allocateNext).getMessage());
    a.release(31050);
    assertFalse(a.has(31050));
    assertEquals(31050, a.allocateNext());
  }

  @Test
  void snapshotAndRepair() throws Exception {
    NodePortAllocator a = new NodePortAllocator("30000-32767");
    a.allocate(30001);
    int dynamic = a.allocateNext();
    NodePortAllocator b = new NodePortAllocator("30000-32767");
    b.restore("30000-32767", a.snapshot());
    assertTrue(b.has(30001));
    assertTrue(b.has(dynamic));
    assertThrows(AllocationException.class, () -> b.restore("30000-30100", a.snapshot()));

    List<RepairProblem> problems =
        b.repair(
            List.of(
                nodePortService("web", 30080),
                nodePortService("clash", 30080),
                nodePortService("old", 8080)));
    assertTrue(b.has(30080));
    assertFalse(b.has(30001));
    assertEquals(1, b.used(), "TCP and UDP of one port number share one allocation");
    assertEquals(2, problems.size());
    assertEquals("PortAlreadyAllocated", problems.get(0).reason());
    assertEquals("clash", problems.get(0).name());
    assertEquals("PortOutOfRange", problems.get(1).reason());
  }

  @Test
  void rejectsMalformedRanges() {
    assertThrows(IllegalArgumentException.class, () -> new NodePortAllocator("32767-30000"));
    assertThrows(IllegalArgumentException.class, () -> new NodePortAllocator("a-b"));
    assertThrows(IllegalArgumentException.class, () -> new NodePortAllocator("0-100"));
  }
}
