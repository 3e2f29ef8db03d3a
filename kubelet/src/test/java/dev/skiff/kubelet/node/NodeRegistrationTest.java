package dev.skiff.kubelet.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.kubelet.Kubelet;
import dev.skiff.kubelet.KubeletConfig;
import dev.skiff.kubelet.testing.TestCluster;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRegistrationTest {

  private static String condition(Node n, String type) {
    return n.getStatus().getConditions().stream()
        .filter(c -> c.getType().equals(type))
        .map(NodeCondition::getStatus)
        .findFirst()
        .orElseThrow();
  }

  /** A status manager of its own beside the kubelet's, so the test decides when it syncs. */
  private static NodeStatusManager statusManager(TestCluster cluster) {
    return new NodeStatusManager(
        cluster.client(),
        cluster.config,
        cluster.runtime,
        new HealthMonitor(cluster.runtime, cluster.dir),
        Kubelet.RUNTIME_VERSION,
        () -> 10250);
  }

  @Test
  void registersNodeWithMachineResourcesLabelsAndLease() {
    try (TestCluster cluster = new TestCluster("node-a")) {
      KubeletConfig base = cluster.config;
      KubeletConfig config =
          new KubeletConfig(
              base.nodeName(),
              base.nodeIp(),
              "10.42.7.0/24",
              base.rootDir(),
              base.podLogDir(),
              null,
              Map.of("cpu", new Quantity("100m"), "memory", new Quantity("256Mi")),
              Map.of("tier", "edge"),
              List.of(
                  new TaintBuilder()
                      .withKey("dedicated")
                      .withValue("x")
                      .withEffect("NoExecute")
                      .build()),
              0,
              null,
              null);
      Kubelet kubelet = cluster.startKubelet(config);

      Node node = cluster.client().nodes().withName("node-a").get();
      Map<String, String> labels = node.getMetadata().getLabels();
      assertEquals("node-a", labels.get("kubernetes.io/hostname"));
      assertEquals("linux", labels.get("kubernetes.io/os"));
      assertEquals(
          MachineInfo.goArch(System.getProperty("os.arch")), labels.get("kubernetes.io/arch"));
      assertEquals("edge", labels.get("tier"));
      assertEquals("10.42.7.0/24", node.getSpec().getPodCIDR());

      var capacity = node.getStatus().getCapacity();
      int cpus = Runtime.getRuntime().availableProcessors();
      assertEquals(Integer.toString(cpus), capacity.get("cpu").toString());
      long memKi = Meminfo.read().totalBytes() / 1024;
      assertEquals(memKi + "Ki", capacity.get("memory").toString());
      assertEquals("110", capacity.get("pods").toString());
      var allocatable = node.getStatus().getAllocatable();
      assertEquals((cpus * 1000 - 100) + "m", allocatable.get("cpu").toString());
      assertEquals((memKi - 256 * 1024 - 100 * 1024) + "Ki", allocatable.get("memory").toString());

      assertEquals("True", condition(node, "Ready"));
      assertEquals("False", condition(node, "MemoryPressure"));
      assertEquals("False", condition(node, "DiskPressure"));
      assertEquals("False", condition(node, "PIDPressure"));
      assertTrue(
          node.getStatus().getAddresses().stream()
              .anyMatch(
                  a -> a.getType().equals("InternalIP") && a.getAddress().equals("127.0.0.1")));
      assertEquals("v1.32.0-skiff", node.getStatus().getNodeInfo().getKubeletVersion());
      assertEquals("linux", node.getStatus().getNodeInfo().getOperatingSystem());
      assertFalse(node.getStatus().getNodeInfo().getBootID().isEmpty());
      assertEquals(
          kubelet.streamingPort(),
          node.getStatus().getDaemonEndpoints().getKubeletEndpoint().getPort());
      assertTrue(node.getSpec().getTaints().stream().anyMatch(t -> t.getKey().equals("dedicated")));
      assertTrue(
          hasNotReadyTaint(node),
          "the node keeps the not-ready taint it registered with: the node lifecycle controller"
              + " lifts it");

      Lease lease =
          cluster.client().leases().inNamespace("kube-node-lease").withName("node-a").get();
      assertEquals("node-a", lease.getSpec().getHolderIdentity());
      assertEquals(40, lease.getSpec().getLeaseDurationSeconds());
      assertNotNull(lease.getSpec().getRenewTime());
      assertEquals(
          node.getMetadata().getUid(), lease.getMetadata().getOwnerReferences().get(0).getUid());
    }
  }

  @Test
  void deletedNodeIsRegisteredAgain() {
    try (TestCluster cluster = new TestCluster("node-d")) {
      cluster.startKubelet();
      var manager = statusManager(cluster);
      manager.register();
      manager.sync(Instant.now());
      cluster.client().nodes().withName("node-d").delete();
      Instant due = Instant.now().plus(NodeStatusManager.REPORT_AT_LEAST_EVERY);
      org.junit.jupiter.api.Assertions.assertThrows(
          RuntimeException.class, () -> manager.sync(due), "the status write finds the Node gone");
      manager.sync(due);
      Node node = cluster.client().nodes().withName("node-d").get();
      assertEquals("True", condition(node, "Ready"));
    }
  }

  @Test
  void leaseRenewalMovesRenewTimeForward() {
    try (TestCluster cluster = new TestCluster("node-b")) {
      cluster.startKubelet();
      String uid = cluster.client().nodes().withName("node-b").get().getMetadata().getUid();
      LeaseRenewer renewer = new LeaseRenewer(cluster.client(), "node-b");
      Lease later = renewer.renew(uid, Instant.now().plusSeconds(30));
      Lease read =
          cluster.client().leases().inNamespace("kube-node-lease").withName("node-b").get();
      assertEquals(later.getSpec().getRenewTime(), read.getSpec().getRenewTime());
      assertTrue(read.getSpec().getRenewTime().toInstant().isAfter(Instant.now().plusSeconds(20)));
    }
  }

  @Test
  void aNewNodeIsCreatedWithItsStatusAndTheNotReadyTaint() {
    try (TestCluster cluster = new TestCluster("node-e")) {
      Node created = statusManager(cluster).register();
      // Created with its conditions, so that no one sees a node without a Ready condition.
      assertEquals("True", condition(created, "Ready"));
      assertTrue(hasNotReadyTaint(created));
    }
  }

  @Test
  void runtimeDownMakesNodeNotReadyAndTheKubeletLeavesItsTaintsAlone() {
    try (TestCluster cluster = new TestCluster("node-c")) {
      Kubelet kubelet = cluster.startKubelet();
      assertNotNull(kubelet);
      var manager = statusManager(cluster);
      manager.register();
      List<Taint> registered =
          cluster.client().nodes().withName("node-c").get().getSpec().getTaints();
      cluster.runtime.down = true;
      manager.sync(Instant.now());
      cluster.runtime.down = false;
      Node node = cluster.client().nodes().withName("node-c").get();
      assertEquals("False", condition(node, "Ready"));
      assertEquals(registered, node.getSpec().getTaints());
      manager.sync(Instant.now());
      node = cluster.client().nodes().withName("node-c").get();
      assertEquals("True", condition(node, "Ready"));
      assertEquals(registered, node.getSpec().getTaints());
    }
  }

  private static boolean hasNotReadyTaint(Node node) {
    return node.getSpec().getTaints().stream()
        .anyMatch(
            t ->
                t.getKey().equals(NodeObject.NOT_READY_TAINT)
                    && "NoSchedule".equals(t.getEffect()));
  }
}
