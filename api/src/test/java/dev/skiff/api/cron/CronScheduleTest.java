package dev.skiff.api.cron;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private static ZonedDateTime at(String text, ZoneId zone) {
    return LocalDateTime.parse(text).atZone(zone);
  }

  private static String next(String spec, String after) {
    return CronSchedule.parse(spec).next(at(after, UTC)).orElseThrow().toLocalDateTime().toString();
  }

  private static String rejection(String spec) {
    return assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse(spec))
        .getMessage();
  }

  @Test
  void everyMinuteStepsListsAndRanges() {
    assertEquals("2026-03-01T10:16", next("* * * * *", "2026-03-01T10:15:30"));
    assertEquals("2026-03-01T10:30", next("*/15 * * * *", "2026-03-01T10:15"));
    assertEquals("2026-03-02T09:00", next("0 9-17 * * *", "2026-03-01T17:30"));
    assertEquals("2026-03-01T10:20", next("5,20,40 * * * *", "2026-03-01T10:05"));
    assertEquals("2026-01-01T10:15", next("15,45 9-17 * * *", "2026-01-01T09:45"));
    assertEquals("2026-01-01T12:00", next("0 */6 * * *", "2026-01-01T06:00"));
    assertEquals("2026-01-02T00:00", next("0 */6 * * *", "2026-01-01T18:30"));
    assertEquals(
        "2026-01-01T10:50", next("50/20 * * * *", "2026-01-01T10:15"), "n/step runs to max");
  }

  @Test
  void descriptorsNamesAndEvery() {
    assertEquals("2026-03-01T11:00", next("@hourly", "2026-03-01T10:15"));
    assertEquals("2026-03-02T00:00", next("@daily", "2026-03-01T10:15"));
    assertEquals("2027-01-01T00:00", next("@yearly", "2026-03-01T10:15"));
    // 2026-03-01 is a Sunday.
    assertEquals("2026-03-02T08:00", next("0 8 * * MON-FRI", "2026-03-01T10:15"));
    assertEquals("2026-06-01T00:00", next("0 0 1 JUN *", "2026-03-01T10:15"));
    assertEquals("2026-03-01T00:00", next("0 0 1 mar-may *", "2026-01-10T00:00"));
    assertEquals("2026-03-08T00:00", next("0 0 * * 0", "2026-03-01T10:15"));
    assertEquals("2026-03-01T11:45:30", next("@every 1h30m", "2026-03-01T10:15:30"));
  }

  @Test
  void restrictedDayOfMonthAndDayOfWeekMatchEither() {
    // The 15th, or any Friday: Friday 2026-03-06 comes first.
    assertEquals("2026-03-06T00:00", next("0 0 15 * FRI", "2026-03-01T10:15"));
    // A stepped day field is restricted, not "any": the 1st or any Sunday.
    assertEquals("2026-03-08T00:00", next("0 0 1 * */7", "2026-03-01T10:15"));
  }

  @Test
  void leapDayIsFoundYearsAheadAndImpossibleDatesNeverFire() {
    assertEquals("2028-02-29T00:00", next("0 0 29 2 *", "2026-01-01T00:00"));
    assertTrue(CronSchedule.parse("0 0 30 2 *").next(at("2026-01-01T00:00", UTC)).isEmpty());
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
  void badSchedulesAreRejectedInUpstreamsWords() {
    assertEquals("expected exactly 5 fields, found 4: * * * *", rejection("* * * *"));
    assertEquals("end of range (60) above maximum (59): 60", rejection("60 * * * *"));
    assertEquals("end of range (24) above maximum (23): 24", rejection("0 24 * * *"));
    assertEquals("end of range (7) above maximum (6): 7", rejection("0 0 * * 7"));
    assertEquals("beginning of range (0) below minimum (1): 0", rejection("0 0 0 * *"));
    assertEquals("beginning of range (5) beyond end of range (3): 5-3", rejection("5-3 * * * *"));
    assertEquals("step of range should be a positive number: */0", rejection("*/0 * * * *"));
    assertEquals("too many slashes: */2/3", rejection("*/2/3 * * * *"));
    assertEquals(
        "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
        rejection("x * * * *"));
    assertEquals("unrecognized descriptor: @fortnightly", rejection("@fortnightly"));
    assertEquals(
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
        rejection("TZ=UTC * * * * *"));
  }
}
