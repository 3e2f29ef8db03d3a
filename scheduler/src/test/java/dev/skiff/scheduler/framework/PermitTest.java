package dev.skiff.scheduler.framework;

import static dev.skiff.scheduler.Fixtures.node;
import static dev.skiff.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.scheduler.ClusterEventHandlers;
import dev.skiff.scheduler.FakeSchedulerClient;
import dev.skiff.scheduler.KubeSchedulerConfiguration;
import dev.skiff.scheduler.SchedulerMetrics;
import dev.skiff.scheduler.SchedulingLoop;
import dev.skiff.scheduler.cache.ClusterObjects;
import dev.skiff.scheduler.cache.SchedulerCache;
import dev.skiff.scheduler.plugins.DefaultPlugins;
import dev.skiff.scheduler.queue.PodNominator;
import dev.skiff.scheduler.queue.SchedulingQueue;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** An out-of-tree Permit plugin registered next to the defaults, holding pods until allowed. */
class PermitTest {
  static final class Gate implements PermitPlugin {
    @Override
    public String name() {
      return "Gate";
    }

    @Override
    public Decision permit(CycleState state, Pod pod, String nodeName) {
      return new Decision(Status.of(Status.Code.WAIT), Duration.ofMinutes(1));
    }
  }

  @Test
  void waitingPodIsBoundOnlyOnceAllowedAndRejectionReleasesItsRoom() throws Exception {
    var config =
        KubeSchedulerConfiguration.parse(
            "profiles: [{plugins: {permit: {enabled: [{name: Gate}]}}}]");
    PluginRegistry registry = DefaultPlugins.registry().register("Gate", (args, h) -> new Gate());
    FakeSchedulerClient client = new FakeSchedulerClient();
    SchedulerCache cache = new SchedulerCache();
    PodNominator nominator = new PodNominator();
    ClusterObjects objects = new ClusterObjects();
    Framework fw =
        new Framework(config.profiles().getFirst(), registry, objects, client, nominator);
    SchedulingQueue queue =
        new SchedulingQueue(
            fw.queueSort().comparator(),
            Duration.ofSeconds(1),
            Duration.ofSeconds(10),
            fw::eventsFor,
            System::nanoTime);
    ExecutorService binder = Executors.newVirtualThreadPerTaskExecutor();
    SchedulingLoop loop =
        new SchedulingLoop(
            cache,
            queue,
            Map.of(fw.schedulerName(), fw),
            0,
            client,
            nominator,
            binder,
            new SchedulerMetrics(queue::sizes));
    var handlers =
        new ClusterEventHandlers(cache, queue, nominator, objects, Set.of(fw.schedulerName()));
    handlers.nodeAdded(node("n1", "2", "4Gi", Map.of()));
    Pod first = pod("first", "1500m", "1Gi");
    Pod second = pod("second", "1500m", "1Gi");
    handlers.podAdded(first);
    loop.scheduleNext(Duration.ZERO);
    while (!fw.waitingPods().isWaiting(first.getMetadata().getUid())) {
      Thread.onSpinWait();
    }
    assertTrue(client.bindings.isEmpty(), "held at Permit");
    handlers.podAdded(second);
    loop.scheduleNext(Duration.ZERO);
    assertTrue(
        client.eventsFor("default/second").getLast().message().contains("Insufficient cpu"),
        "the waiting pod keeps its room");
    assertTrue(fw.waitingPods().reject(first.getMetadata().getUid(), "Gate", "not today"));
    binder.shutdown();
    assertTrue(binder.awaitTermination(10, TimeUnit.SECONDS));
    assertNull(client.bindings.get("default/first"));
    assertEquals("not today", client.statusUpdates.getLast().condition().getMessage());
    assertEquals(0, cache.podCount(), "rejection forgets the assumed pod");
  }
}
