package dev.skiff.controllers.framework;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ExpectationsTest {
  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void satisfiedOnceEveryExpectedCreationWasObserved() {
    Expectations expectations = new Expectations();
    assertTrue(expectations.satisfied("default/web"), "nothing expected");
    expectations.expect("default/web", 2, 0);
    expectations.creationObserved("default/web");
    assertFalse(expectations.satisfied("default/web"));
    expectations.creationObserved("default/web");
    assertTrue(expectations.satisfied("default/web"));
  }

  @Test
  void expectationsExpireSoALostEventCannotWedgeTheController() {
    MovableClock clock = new MovableClock();
    Expectations expectations = new Expectations(clock);
    expectations.expect("default/web", 0, 3);
    assertFalse(expectations.satisfied("default/web"));
    clock.now = clock.now.plus(Duration.ofMinutes(5).plusSeconds(1));
    assertTrue(expectations.satisfied("default/web"));
  }
}
