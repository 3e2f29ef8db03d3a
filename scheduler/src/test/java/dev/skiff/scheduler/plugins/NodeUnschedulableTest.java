package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeUnschedulableTest {
  private static final NodeInfo CORDONED =
      NodeInfo.of(node("n", b -> b.editSpec().withUnschedulable(true).endSpec()));

  @Test
  void cordonedNodeRejectsOrdinaryPods() {
    Status s = filter(framework(List.of(CORDONED)), pod("p"), CORDONED);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("node(s) were unschedulable", s.message());
    assertEquals(NodeUnschedulable.NAME, s.plugin());
  }

  @Test
  void podToleratingTheUnschedulableTaintMayLand() {
    var p =
        pod(
            "ds",
            b ->
                b.editSpec()
                    .withTolerations(
                        new Toleration(
                            "NoSchedule", "node.kubernetes.io/unschedulable", "Exists", null, null))
                    .endSpec());
    assertTrue(filter(framework(List.of(CORDONED)), p, CORDONED).isSuccess());
  }

  @Test
  void uncordonedNodeAcceptsPods() {
    NodeInfo n = NodeInfo.of(node("n"));
    assertTrue(filter(framework(List.of(n)), pod("p"), n).isSuccess());
  }
}
