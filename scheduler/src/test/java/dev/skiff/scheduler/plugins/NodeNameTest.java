package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Status;
import org.junit.jupiter.api.Test;

class NodeNameTest {
  @Test
  void podNamingANodeFitsOnlyThere() {
    var p = pod("p", b -> b.editSpec().withNodeName("a").endSpec());
    var plugin = new NodeName();
    assertTrue(plugin.filter(new CycleState(), p, NodeInfo.of(node("a"))).isSuccess());
    Status s = plugin.filter(new CycleState(), p, NodeInfo.of(node("b")));
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("node(s) didn't match the requested node name", s.message());
  }

  @Test
  void podWithoutNodeNameFitsAnywhere() {
    assertTrue(
        new NodeName().filter(new CycleState(), pod("p"), NodeInfo.of(node("b"))).isSuccess());
  }
}
