package dev.skiff.apiserver.allocation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ServiceIpAllocatorTest {

  private static Service service(String name, String... ips) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("default")
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .withClusterIP(ips.length == 0 ? null : ips[0])
        .withClusterIPs(ips)
        .endSpec()
        .build();
  }

  @Test
  void handsOutEveryHostAddressOnceAndNeverNetworkOrBroadcast() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("10.43.0.0/28");
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 14; i++) {
      assertTrue(seen.add(a.allocateNext()));
    }
    assertFalse(seen.contains("10.43.0.0"));
    assertFalse(seen.contains("10.43.0.15"));
    assertTrue(seen.contains("10.43.0.1"));
    assertTrue(seen.contains("10.43.0.14"));
    AllocationException full = assertThrows(AllocationException.class, a::allocateNext);
    assertEquals("range is full", full.getMessage());
    assertEquals(AllocationException.Reason.FULL, full.reason());
    a.release("10.43.0.7");
    assertEquals("10.43.0.7", a.allocateNext());
  }

  @Test
  void rejectsTakenAndOutOfRangeIpsWithUpstreamsWords() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("10.43.0.0/16");
    a.allocate("10.43.0.10");
    AllocationException taken =
        assertThrows(AllocationException.class, () -> a.allocate("10.43.0.10"));
    assertEquals("provided IP is already allocated", taken.getMessage());
    AllocationException outside =
        assertThrows(AllocationException.class, () -> a.allocate("10.44.0.1"));
    assertEquals(
        "the provided IP (10.44.0.1) is not in the valid range. The range of valid IPs is"
            + " 10.43.0.0/16",
        outside.getMessage());
    assertEquals(AllocationException.Reason.NOT_IN_RANGE, outside.reason());
    assertThrows(AllocationException.class, () -> a.allocate("10.43.255.255"));
    assertThrows(AllocationException.class, () -> a.allocate("10.43.0.0"));
    assertThrows(AllocationException.class, () -> a.allocate("fd00::1"));
  }

  @Test
  void dynamicAllocationLeavesTheLowBandForUserChosenIps() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("10.43.0.0/16");
    for (int i = 0; i < 500; i++) {
      String ip = a.allocateNext();
      String[] parts = ip.split("\\.");
      int offset = Integer.parseInt(parts[2]) * 256 + Integer.parseInt(parts[3]) - 1;
      assertTrue(offset >= 256, ip + " is in the static band");
    }
    a.allocate("10.43.0.10");
  }

  @Test
  void snapshotRestoresIntoAFreshAllocatorOfTheSameRange() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("10.43.0.0/16");
    a.allocate("10.43.0.10");
    String dynamic = a.allocateNext();
    ServiceIpAllocator b = new ServiceIpAllocator("10.43.0.0/16");
    b.restore("10.43.0.0/16", a.snapshot());
    assertTrue(b.has("10.43.0.10"));
    assertTrue(b.has(dynamic));
    assertEquals(2, b.used());
    AllocationException mismatch =
        assertThrows(
            AllocationException.class,
            () -> new ServiceIpAllocator("10.96.0.0/12").restore("10.43.0.0/16", a.snapshot()));
    assertEquals("the provided network does not match the current range", mismatch.getMessage());
  }

  @Test
  void repairMarksExistingServicesAndReportsConflicts() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("10.43.0.0/16");
    a.allocate("10.43.9.9");
    List<RepairProblem> problems =
        a.repair(
            List.of(
                service("a", "10.43.0.10"),
                service("b", "10.43.0.10"),
                service("headless", "None"),
                service("external"),
                service("outside", "10.99.0.1"),
                service("dual", "10.43.0.11", "fd00::11")));
    assertTrue(a.has("10.43.0.10"));
    assertTrue(a.has("10.43.0.11"));
    assertFalse(a.has("10.43.9.9"), "repair starts from the Services, not the old bitmap");
    assertEquals(2, a.used());
    assertEquals(2, problems.size());
    assertEquals("b", problems.get(0).name());
    assertEquals("ClusterIPAlreadyAllocated", problems.get(0).reason());
    assertEquals("ClusterIPOutOfRange", problems.get(1).reason());
  }

  @Test
  void ipv6RangesUseCanonicalText() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("fd00:10:43::/120");
    a.allocate("fd00:10:43::1");
    assertTrue(a.has("fd00:10:43:0::1"));
    assertEquals("fd00:10:43::/120", a.range());
    String next = a.allocateNext();
    assertTrue(next.startsWith("fd00:10:43::"), next);
    assertEquals(253, a.free(), "only the network address is excluded in IPv6");
  }

  @Test
  void concurrentAllocationsNeverCollide() throws Exception {
    ServiceIpAllocator a = new ServiceIpAllocator("10.43.0.0/22");
    Set<String> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 255; i++) {
                    assertTrue(seen.add(a.allocateNext()));
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(1020, seen.size());
    assertEquals(2, a.free());
  }

  @Test
  void rejectsMalformedRanges() {
    assertThrows(IllegalArgumentException.class, () -> new ServiceIpAllocator("10.43.0.0"));
    assertThrows(IllegalArgumentException.class, () -> new ServiceIpAllocator("10.43.0.0/33"));
    assertThrows(IllegalArgumentException.class, () -> new ServiceIpAllocator("example/16"));
  }
}
