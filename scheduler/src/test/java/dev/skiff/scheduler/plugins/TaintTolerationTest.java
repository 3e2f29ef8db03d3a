package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.filter;
import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static dev.skiff.scheduler.Fixtures.scores;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.cache.NodeInfo;
import dev.skiff.scheduler.framework.Status;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaintTolerationTest {
  private static NodeInfo tainted(String name, Taint... taints) {
    return NodeInfo.of(node(name, b -> b.editSpec().withTaints(taints).endSpec()));
  }

  private static Pod tolerating(Toleration... t) {
    return pod("p", b -> b.editSpec().withTolerations(t).endSpec());
  }

  @Test
  void untoleratedNoScheduleTaintRejectsWithUpstreamsReason() {
    NodeInfo n = tainted("n", new Taint("NoSchedule", "dedicated", null, "gpu"));
    Status s = filter(framework(List.of(n)), pod("p"), n);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals("node(s) had untolerated taint {dedicated: gpu}", s.message());
  }

  @Test
  void noExecuteTaintsAlsoKeepPodsAway() {
    NodeInfo n = tainted("n", new Taint("NoExecute", "node.kubernetes.io/not-ready", null, null));
    assertEquals(
        "node(s) had untolerated taint {node.kubernetes.io/not-ready: }",
        filter(framework(List.of(n)), pod("p"), n).message());
  }

  @Test
  void matchingTolerationsAdmitThePod() {
    NodeInfo n = tainted("n", new Taint("NoSchedule", "dedicated", null, "gpu"));
    var fw = framework(List.of(n));
    assertTrue(
        filter(fw, tolerating(new Toleration("NoSchedule", "dedicated", "Equal", null, "gpu")), n)
            .isSuccess());
    assertTrue(
        filter(fw, tolerating(new Toleration(null, "dedicated", "Exists", null, null)), n)
            .isSuccess());
    assertTrue(
        filter(fw, tolerating(new Toleration(null, null, "Exists", null, null)), n).isSuccess(),
        "empty key + Exists tolerates all");
    assertEquals(
        Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
        filter(fw, tolerating(new Toleration("NoSchedule", "dedicated", "Equal", null, "cpu")), n)
            .code(),
        "wrong value");
    assertEquals(
        Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
        filter(fw, tolerating(new Toleration("NoExecute", "dedicated", "Exists", null, null)), n)
            .code(),
        "wrong effect");
  }

  @Test
  void preferNoScheduleDoesNotFilterButScoresLower() {
    NodeInfo clean = NodeInfo.of(node("clean"));
    NodeInfo one = tainted("one", new Taint("PreferNoSchedule", "a", null, "1"));
    NodeInfo two =
        tainted(
            "two",
            new Taint("PreferNoSchedule", "a", null, "1"),
            new Taint("PreferNoSchedule", "b", null, "1"));
    var nodes = List.of(clean, one, two);
    var fw = framework(nodes);
    assertTrue(filter(fw, pod("p"), two).isSuccess());
    assertArrayEquals(new long[] {100, 50, 0}, scores(fw, TaintToleration.NAME, pod("p"), nodes));
    Pod tolerant = tolerating(new Toleration("PreferNoSchedule", "b", "Exists", null, null));
    assertArrayEquals(new long[] {100, 0, 0}, scores(fw, TaintToleration.NAME, tolerant, nodes));
  }
}
