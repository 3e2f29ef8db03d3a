package dev.skiff.api.cron;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule in the standard five-field cron syntax (minute hour day-of-month month day-of-week), a
 * descriptor such as {@code @hourly}, or {@code @every <duration>}, accepted and worded as
 * upstream's cron parser does. CronJobs (validation and controller) and the store's {@code
 * --snapshot-schedule} share it. Day of week is 0-6 (Sunday is 0), as upstream. When both day
 * fields are restricted a day matching either one fires, as in Vixie cron.
 */
public final class CronSchedule {

  private static final Map<String, String> DESCRIPTORS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> DAYS = List.of("sun", "mon", "tue", "wed", "thu", "fri", "sat");

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;
  private final Duration every;

  private CronSchedule(String[] f) {
    minutes = field(f[0], 0, 59, List.of());
    hours = field(f[1], 0, 23, List.of());
    daysOfMonth = field(f[2], 1, 31, List.of());
    months = field(f[3], 1, 12, MONTHS);
    daysOfWeek = field(f[4], 0, 6, DAYS);
    anyDayOfMonth = f[2].equals("*") || f[2].equals("?");
    anyDayOfWeek = f[4].equals("*") || f[4].equals("?");
    every = null;
  }

  private CronSchedule(Duration every) {
    this.every = every;
    minutes = hours = daysOfMonth = months = daysOfWeek = null;
    anyDayOfMonth = anyDayOfWeek = true;
  }

  /**
   * @throws IllegalArgumentException with a message as upstream's parser words it
   */
  public static CronSchedule parse(String spec) {
    String s = spec.trim();
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
      throw new IllegalArgumentException(
          "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    }
    if (s.startsWith("@every ")) {
      try {
        Duration d = Duration.parse("PT" + s.substring(7).trim().toUpperCase(Locale.ROOT));
        if (d.isNegative() || d.isZero()) {
          throw new IllegalArgumentException(
              "failed to parse duration " + s + ": must be positive");
        }
        return new CronSchedule(d);
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("failed to parse duration " + s, e);
      }
    }
    if (s.startsWith("@")) {
      String expanded = DESCRIPTORS.get(s.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + s);
      }
      s = expanded;
    }
    String[] fields = s.isEmpty() ? new String[0] : s.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "expected exactly 5 fields, found " + fields.length + ": " + spec);
    }
    return new CronSchedule(fields);
  }

  /**
   * The first activation strictly after {@code after}, in {@code after}'s time zone; empty when the
   * schedule does not fire within five years (such as the 30th of February), as upstream gives up.
   */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    if (every != null) {
      return Optional.of(after.plus(every).truncatedTo(ChronoUnit.SECONDS));
    }
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** Cron's rule: when both day fields are restricted, either one matching is enough. */
  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow = daysOfWeek.get(t.getDayOfWeek().getValue() % 7);
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String text, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash != part.lastIndexOf('/')) {
        throw new IllegalArgumentException("too many slashes: " + part);
      }
      if (slash >= 0) {
        step = number(part.substring(slash + 1), List.of());
        range = part.substring(0, slash);
        if (step <= 0) {
          throw new IllegalArgumentException("step of range should be a positive number: " + part);
        }
      }
      int lo;
      int hi;
      if (range.equals("*") || range.equals("?")) {
        lo = min;
        hi = max;
      } else {
        int dash = range.indexOf('-');
        if (dash != range.lastIndexOf('-')) {
          throw new IllegalArgumentException("too many hyphens: " + part);
        }
        lo = number(dash < 0 ? range : range.substring(0, dash), names);
        hi = dash < 0 ? (slash >= 0 ? max : lo) : number(range.substring(dash + 1), names);
      }
      if (lo < min) {
        throw new IllegalArgumentException(
            "beginning of range (" + lo + ") below minimum (" + min + "): " + part);
      }
      if (hi > max) {
        throw new IllegalArgumentException(
            "end of range (" + hi + ") above maximum (" + max + "): " + part);
      }
      if (lo > hi) {
        throw new IllegalArgumentException(
            "beginning of range (" + lo + ") beyond end of range (" + hi + "): " + part);
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int number(String text, List<String> names) {
    int named = names.indexOf(text.toLowerCase(Locale.ROOT));
    if (named >= 0) {
      return names == MONTHS ? named + 1 : named;
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "failed to parse int from "
              + text
              + ": strconv.Atoi: parsing \""
              + text
              + "\": invalid syntax");
    }
  }
}
