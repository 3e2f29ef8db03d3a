package dev.skiff.scheduler.queue;

import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.skiff.scheduler.framework.ClusterEvent;
import dev.skiff.scheduler.plugins.PrioritySort;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final AtomicLong now = new AtomicLong(0);
  private final Map<String, List<ClusterEvent>> registrations =
      Map.of("NodeResourcesFit", List.of(ClusterEvent.ASSIGNED_POD_DELETE, ClusterEvent.NODE_ADD));
  private final SchedulingQueue q =
      new SchedulingQueue(
          new PrioritySort().comparator(),
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          registrations::get,
          now::get);

  private QueuedPodInfo pop() throws InterruptedException {
    return q.poll(Duration.ZERO);
  }

  private void fail(QueuedPodInfo p, String plugin) {
    p.setUnschedulablePlugins(plugin == null ? Set.of() : Set.of(plugin));
    q.addUnschedulable(p, q.schedulingCycle(), false);
  }

  private static Pod prio(String name, int priority) {
    return pod(name, b -> b.editSpec().withPriority(priority).endSpec());
  }

  @Test
  void popsByPriorityThenAge() throws InterruptedException {
    q.add(prio("low", 1));
    now.addAndGet(1);
    q.add(prio("high", 10));
    now.addAndGet(1);
    q.add(prio("high-later", 10));
    assertEquals("high", pop().pod().getMetadata().getName());
    assertEquals("high-later", pop().pod().getMetadata().getName());
    assertEquals("low", pop().pod().getMetadata().getName());
    assertNull(pop());
  }

  @Test
  void unschedulablePodMovesOnlyForEventsItsPluginRegistered() throws InterruptedException {
    q.add(pod("p"));
    fail(pop(), "NodeResourcesFit");
    q.onClusterEvent(
        new ClusterEvent(ClusterEvent.Kind.NODE, ClusterEvent.Action.UPDATE_NODE_LABEL));
    assertEquals(1, q.sizes().unschedulable());
    q.onClusterEvent(ClusterEvent.NODE_ADD);
    assertEquals(new SchedulingQueue.Sizes(0, 1, 0, 0), q.sizes(), "moved, but still backing off");
    now.addAndGet(Duration.ofMillis(999).toNanos());
    q.flushBackoffCompleted();
    assertNull(pop());
    now.addAndGet(Duration.ofMillis(1).toNanos());
    q.flushBackoffCompleted();
    assertEquals("p", pop().pod().getMetadata().getName());
  }

  @Test
  void backoffDoublesUpToTheMaximum() throws InterruptedException {
    q.add(pod("p"));
    long[] expectedSeconds = {1, 2, 4, 8, 10, 10};
    for (long seconds : expectedSeconds) {
      QueuedPodInfo p = pop();
      p.setUnschedulablePlugins(Set.of());
      q.addUnschedulable(p, q.schedulingCycle(), true);
      now.addAndGet(Duration.ofSeconds(seconds).toNanos() - 1);
      q.flushBackoffCompleted();
      assertNull(pop(), "still backing off after " + seconds + "s minus 1ns");
      now.addAndGet(1);
      q.flushBackoffCompleted();
      assertEquals(0, q.sizes().backoff());
    }
  }

  @Test
  void eventDuringTheCycleSendsTheFailedPodToBackoffNotUnschedulable() throws InterruptedException {
    q.add(pod("p"));
    QueuedPodInfo p = pop();
    long cycle = q.schedulingCycle();
    q.onClusterEvent(ClusterEvent.ASSIGNED_POD_DELETE);
    p.setUnschedulablePlugins(Set.of("NodeResourcesFit"));
    q.addUnschedulable(p, cycle, false);
    assertEquals(1, q.sizes().backoff());
  }

  @Test
  void stuckPodsAreRetriedAfterFiveMinutes() throws InterruptedException {
    q.add(pod("p"));
    fail(pop(), "NodeResourcesFit");
    now.addAndGet(Duration.ofMinutes(5).plusSeconds(1).toNanos());
    q.flushUnschedulableLeftover();
    assertEquals("p", pop().pod().getMetadata().getName());
  }

  @Test
  void deletedAndUpdatedPods() throws InterruptedException {
    q.add(pod("gone"));
    q.delete(pod("gone"));
    assertNull(pop());
    q.add(pod("p"));
    fail(pop(), "NodeResourcesFit");
    q.update(pod("p", b -> b.editMetadata().withLabels(Map.of("fixed", "yes")).endMetadata()));
    now.addAndGet(Duration.ofSeconds(1).toNanos());
    q.flushBackoffCompleted();
    QueuedPodInfo p = pop();
    assertEquals(
        "yes",
        p.pod().getMetadata().getLabels().get("fixed"),
        "the update retries it with the new spec");
  }
}
