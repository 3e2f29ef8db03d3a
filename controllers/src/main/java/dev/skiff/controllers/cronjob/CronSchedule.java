package dev.skiff.controllers.cronjob;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A standard five-field cron schedule (minute, hour, day of month, month, day of week) with ranges,
 * steps, lists, month and weekday names, {@code ?} for "any", and the {@code @yearly},
 * {@code @monthly}, {@code @weekly}, {@code @daily}/{@code @midnight} and {@code @hourly} macros,
 * as CronJobs accept. When both day fields are restricted a day matching either one fires, as in
 * Vixie cron.
 */
public final class CronSchedule {
  private static final Map<String, String> MACROS =
      Map.of(
          "@yearly", "0 0 1 1 *",
          "@annually", "0 0 1 1 *",
          "@monthly", "0 0 1 * *",
          "@weekly", "0 0 * * 0",
          "@daily", "0 0 * * *",
          "@midnight", "0 0 * * *",
          "@hourly", "0 * * * *");
  private static final String[] MONTHS = {
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"
  };
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronSchedule(String[] fields) {
    minutes = field(fields[0], 0, 59, null, "minute");
    hours = field(fields[1], 0, 23, null, "hour");
    daysOfMonth = field(fields[2], 1, 31, null, "day of month");
    months = field(fields[3], 1, 12, MONTHS, "month");
    daysOfWeek = field(fields[4], 0, 7, DAYS, "day of week");
    if (daysOfWeek.get(7)) {
      daysOfWeek.set(0);
    }
    anyDayOfMonth = fields[2].equals("*") || fields[2].equals("?");
    anyDayOfWeek = fields[4].equals("*") || fields[4].equals("?");
  }

  /** Parses a schedule; throws {@link IllegalArgumentException} with what is wrong. */
  public static CronSchedule parse(String spec) {
    String text = spec.trim();
    if (text.startsWith("@")) {
      String expanded = MACROS.get(text.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + text);
      }
      text = expanded;
    }
    String[] fields = text.split("\\s+");
    if (fields.length != 5) {
      throw new IllegalArgumentException(
          "expected exactly 5 fields, found " + fields.length + ": " + spec);
    }
    return new CronSchedule(fields);
  }

  private static BitSet field(String text, int min, int max, String[] names, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : text.split(",")) {
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        step = number(part.substring(slash + 1), null, 0, what);
        range = part.substring(0, slash);
        if (step <= 0) {
          throw new IllegalArgumentException("step of " + what + " must be positive: " + part);
        }
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else {
        int dash = range.indexOf('-');
        if (dash > 0) {
          from = number(range.substring(0, dash), names, min, what);
          to = number(range.substring(dash + 1), names, min, what);
        } else {
          from = number(range, names, min, what);
          to = slash >= 0 ? max : from;
        }
      }
      if (from < min || to > max || from > to) {
        throw new IllegalArgumentException(
            what + " out of range (" + min + "-" + max + "): " + part);
      }
      for (int i = from; i <= to; i += step) {
        bits.set(i);
      }
    }
    return bits;
  }

  private static int number(String text, String[] names, int base, String what) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return i + base;
        }
      }
    }
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid " + what + ": " + text);
    }
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    boolean dow =
        daysOfWeek.get(t.getDayOfWeek() == DayOfWeek.SUNDAY ? 0 : t.getDayOfWeek().getValue());
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  /** The first time strictly after {@code after} that the schedule fires, in its zone. */
  public Optional<ZonedDateTime> next(ZonedDateTime after) {
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = after.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
        continue;
      }
      if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
        continue;
      }
      if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
        continue;
      }
      if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
        continue;
      }
      return Optional.of(t);
    }
    return Optional.empty();
  }
}
