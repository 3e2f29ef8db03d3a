package dev.skiff.scheduler.plugins;

import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.skiff.scheduler.framework.QueueSortPlugin;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrioritySortTest {
  record Queued(Pod pod, long enqueuedAtNanos) implements QueueSortPlugin.QueuedPod {}

  @Test
  void higherPriorityFirstThenOlderFirst() {
    var low = new Queued(pod("low", b -> b.editSpec().withPriority(1).endSpec()), 1);
    var highNew = new Queued(pod("high-new", b -> b.editSpec().withPriority(100).endSpec()), 5);
    var highOld = new Queued(pod("high-old", b -> b.editSpec().withPriority(100).endSpec()), 2);
    var none = new Queued(pod("none"), 0);
    List<QueueSortPlugin.QueuedPod> q = new ArrayList<>(List.of(low, highNew, none, highOld));
    q.sort(new PrioritySort().comparator());
    assertEquals(List.of(highOld, highNew, low, none), q);
  }
}
