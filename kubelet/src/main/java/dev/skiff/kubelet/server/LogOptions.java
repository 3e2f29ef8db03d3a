package dev.skiff.kubelet.server;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

/**
 * The options of a containerLogs request ({@code PodLogOptions} as query parameters), validated as
 * the API server validates them.
 */
public record LogOptions(
    boolean follow,
    boolean previous,
    long tailLines,
    Instant since,
    boolean timestamps,
    long limitBytes) {

  /** A query parameter has a value the API would refuse. */
  public static final class Invalid extends RuntimeException {
    Invalid(String message) {
      super(message);
    }
  }

  /**
   * @param param the value of a query parameter, or null when absent
   */
  public static LogOptions parse(Function<String, String> param, Instant now) {
    long tail = number(param, "tailLines", -1);
    if (param.apply("tailLines") != null && tail < 0) {
      throw new Invalid(
          "tailLines: Invalid value: " + tail + ": must be greater than or equal to 0");
    }
    long limit = number(param, "limitBytes", -1);
    if (param.apply("limitBytes") != null && limit < 1) {
      throw new Invalid("limitBytes: Invalid value: " + limit + ": must be greater than 0");
    }
    Instant since = null;
    String sinceSeconds = param.apply("sinceSeconds");
    String sinceTime = param.apply("sinceTime");
    if (sinceSeconds != null && sinceTime != null) {
      throw new Invalid("at most one of sinceTime or sinceSeconds may be specified");
    }
    if (sinceSeconds != null) {
      long s = number(param, "sinceSeconds", 0);
      if (s < 1) {
        throw new Invalid("sinceSeconds: Invalid value: " + s + ": must be greater than 0");
      }
      since = now.minusSeconds(s);
    } else if (sinceTime != null) {
      try {
        since = Instant.parse(sinceTime);
      } catch (DateTimeParseException e) {
        throw new Invalid("sinceTime: Invalid value: \"" + sinceTime + "\": not an RFC 3339 time");
      }
    }
    return new LogOptions(
        bool(param, "follow"),
        bool(param, "previous"),
        tail,
        since,
        bool(param, "timestamps"),
        limit);
  }

  private static boolean bool(Function<String, String> param, String name) {
    String v = param.apply(name);
    return v != null && (v.equals("true") || v.equals("1"));
  }

  private static long number(Function<String, String> param, String name, long absent) {
    String v = param.apply(name);
    if (v == null) {
      return absent;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new Invalid(name + ": Invalid value: \"" + v + "\": not a number");
    }
  }
}
