package dev.skiff.storage.snapshot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static ZonedDateTime at(String iso) {
    return ZonedDateTime.of(java.time.LocalDateTime.parse(iso), ZoneOffset.UTC);
  }

  private static ZonedDateTime next(String cron, String after) {
    return CronExpression.parse(cron).next(at(after));
  }

  @Test
  void everySixHoursOnTheHour() {
    assertEquals(at("2026-01-01T06:00"), next("0 */6 * * *", "2026-01-01T00:00"));
    assertEquals(at("2026-01-01T12:00"), next("0 */6 * * *", "2026-01-01T06:00"));
    assertEquals(at("2026-01-02T00:00"), next("0 */6 * * *", "2026-01-01T18:30"));
  }

  @Test
  void listsRangesStepsAndNames() {
    assertEquals(at("2026-01-01T10:15"), next("15,45 9-17 * * *", "2026-01-01T09:45"));
    assertEquals(at("2026-03-01T00:00"), next("0 0 1 mar-may *", "2026-01-10T00:00"));
    // 2026-01-01 is a Thursday; the next Monday is the 5th
    assertEquals(at("2026-01-05T02:30"), next("30 2 * * mon", "2026-01-01T00:00"));
    assertEquals(at("2026-01-04T00:00"), next("0 0 * * 7", "2026-01-01T00:00"));
  }

  @Test
  void restrictedDayFieldsMatchEitherDay() {
    // the 13th, or any Friday: Friday 2026-01-02 comes first
    assertEquals(at("2026-01-02T00:00"), next("0 0 13 * fri", "2026-01-01T00:00"));
  }

  @Test
  void leapDayIsFoundYearsAhead() {
    assertEquals(at("2028-02-29T00:00"), next("0 0 29 2 *", "2026-01-01T00:00"));
  }

  @Test
  void badExpressionsNameTheirProblem() {
    IllegalArgumentException fields =
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 * * *"));
    assertTrue(fields.getMessage().contains("5 fields"), fields.getMessage());
    IllegalArgumentException hour =
        assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("0 24 * * *"));
    assertTrue(hour.getMessage().contains("hour"), hour.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("x * * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("*/0 * * * *"));
    assertThrows(IllegalArgumentException.class, () -> next("0 0 31 2 *", "2026-01-01T00:00"));
  }
}
