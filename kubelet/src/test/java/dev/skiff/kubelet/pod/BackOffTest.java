package dev.skiff.kubelet.pod;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackOffTest {
  private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void doublesFromTenSecondsToFiveMinutes() {
    BackOff b = new BackOff();
    Instant t = t0;
    long[] expected = {10, 20, 40, 80, 160, 300, 300};
    for (long e : expected) {
      b.next("c", t);
      assertEquals(Duration.ofSeconds(e), b.delay("c"));
      t = t.plusSeconds(e);
    }
  }

  @Test
  void inBackOffUntilTheDelayAfterTheExitHasPassed() {
    BackOff b = new BackOff();
    assertFalse(b.inBackOffSince("c", t0, t0), "no back-off before the first restart");
    b.next("c", t0);
    Instant exit = t0.plusSeconds(2);
    assertTrue(b.inBackOffSince("c", exit, exit.plusSeconds(9)));
    assertFalse(b.inBackOffSince("c", exit, exit.plusSeconds(10)));
  }

  @Test
  void startsOverAfterTenQuietMinutes() {
    BackOff b = new BackOff();
    b.next("c", t0);
    b.next("c", t0.plusSeconds(10));
    assertEquals(Duration.ofSeconds(20), b.delay("c"));
    b.next("c", t0.plusSeconds(10).plus(Duration.ofMinutes(11)));
    assertEquals(Duration.ofSeconds(10), b.delay("c"));
  }
}
