package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.framework;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.framework.CycleState;
import dev.skiff.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefaultBinderTest {
  @Test
  void bindsThroughTheClientAndReportsItsError() {
    var client = new FakeSchedulerClient();
    var fw = framework(List.of(), new ClusterObjects(), client);
    assertTrue(fw.runBindPlugins(new CycleState(), pod("p"), "n1").isSuccess());
    assertEquals(Map.of("default/p", "n1"), client.bindings);
    Status again = fw.runBindPlugins(new CycleState(), pod("p"), "n2");
    assertEquals(Status.Code.ERROR, again.code());
    assertEquals(DefaultBinder.NAME, again.plugin());
    assertTrue(again.message().contains("already assigned"), again.message());
  }
}
