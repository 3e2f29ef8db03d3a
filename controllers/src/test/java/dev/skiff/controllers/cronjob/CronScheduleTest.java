package dev.skiff.controllers.cronjob;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static ZonedDateTime at(String text, ZoneId zone) {
    return java.time.LocalDateTime.parse(text).atZone(zone);
  }

  private static String next(String spec, String after) {
    return CronSchedule.parse(spec).next(at(after, UTC)).orElseThrow().toLocalDateTime().toString();
  }

  @Test
  void everyMinuteStepsAndRanges() {
    assertEquals("2026-03-01T10:16", next("* * * * *", "2026-03-01T10:15:30"));
    assertEquals("2026-03-01T10:30", next("*/15 * * * *", "2026-03-01T10:15"));
    assertEquals("2026-03-02T09:00", next("0 9-17 * * *", "2026-03-01T17:30"));
    assertEquals("2026-03-01T10:20", next("5,20,40 * * * *", "2026-03-01T10:05"));
  }

  @Test
  void macrosAndNames() {
    assertEquals("2026-03-01T11:00", next("@hourly", "2026-03-01T10:15"));
    assertEquals("2026-03-02T00:00", next("@daily", "2026-03-01T10:15"));
    assertEquals("2027-01-01T00:00", next("@yearly", "2026-03-01T10:15"));
    // 2026-03-01 is a Sunday.
    assertEquals("2026-03-02T08:00", next("0 8 * * MON-FRI", "2026-03-01T10:15"));
    assertEquals("2026-06-01T00:00", next("0 0 1 JUN *", "2026-03-01T10:15"));
    assertEquals("2026-03-08T00:00", next("0 0 * * 7", "2026-03-01T10:15"), "7 is Sunday too");
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEither() {
    // The 15th, or any Friday: Friday 2026-03-06 comes first.
    assertEquals("2026-03-06T00:00", next("0 0 15 * FRI", "2026-03-01T10:15"));
  }

  @Test
  void aTimeZoneShiftsTheWallClock() {
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    ZonedDateTime next =
        CronSchedule.parse("0 9 * * *")
            .next(at("2026-03-01T07:30", UTC).withZoneSameInstant(berlin))
            .orElseThrow();
    assertEquals("2026-03-01T08:00Z", next.withZoneSameInstant(UTC).toOffsetDateTime().toString());
  }

  @Test
  void badSchedulesAreRejectedWithTheReason() {
    assertEquals(
        "expected exactly 5 fields, found 4: * * * *",
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * * *"))
            .getMessage());
    assertEquals(
        "minute out of range (0-59): 60",
        assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("60 * * * *"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("@fortnightly"));
  }
}
