package dev.skiff.controllers.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EvictionQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void releasesOneNodeAtOnceThenOneEveryTenSecondsAtTheDefaultRate() {
    EvictionQueue queue = new EvictionQueue(0.1, T0);
    queue.add("a");
    queue.add("b");
    queue.add("c");
    assertEquals(Optional.of("a"), queue.next(T0));
    assertEquals(Optional.empty(), queue.next(T0.plusSeconds(5)));
    assertEquals(Optional.of("b"), queue.next(T0.plusSeconds(10)));
    assertEquals(Optional.empty(), queue.next(T0.plusSeconds(11)));
    assertEquals(Optional.of("c"), queue.next(T0.plusSeconds(20)));
  }

  @Test
  void aZeroRateHoldsEveryNodeBack() {
    EvictionQueue queue = new EvictionQueue(0.1, T0);
    queue.setRate(0, T0);
    queue.add("a");
    assertEquals(Optional.empty(), queue.next(T0.plusSeconds(3600)));
  }

  @Test
  void zoneStatesFollowUpstreamThresholds() {
    assertEquals(ZoneState.FULL_DISRUPTION, ZoneState.of(0, 1, 0.55));
    assertEquals(ZoneState.NORMAL, ZoneState.of(1, 2, 0.55));
    assertEquals(ZoneState.PARTIAL_DISRUPTION, ZoneState.of(2, 3, 0.55));
    assertEquals(ZoneState.NORMAL, ZoneState.of(10, 3, 0.55));
  }
}
