package dev.skiff.runtime.logs;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The CRI log line format: {@code <RFC3339Nano timestamp> <stdout|stderr> <P|F> <content>}, where P
 * marks a partial record that continues on the next line of the same stream.
 */
public final class CriLogFormat {
  private CriLogFormat() {}

  /** One parsed record. */
  public record Record(
      Instant timestamp, LogEntry.Stream stream, boolean partial, String content) {}

  /**
   * Parses a line; empty for a line not in CRI format (which readers skip, as the kubelet does).
   */
  public static Optional<Record> parse(String line) {
    int a = line.indexOf(' ');
    int b = a < 0 ? -1 : line.indexOf(' ', a + 1);
    if (b < 0 || b + 2 > line.length()) return Optional.empty();
    Instant ts;
    try {
      ts = Instant.parse(line.substring(0, a));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    LogEntry.Stream stream =
        switch (line.substring(a + 1, b)) {
          case "stdout" -> LogEntry.Stream.STDOUT;
          case "stderr" -> LogEntry.Stream.STDERR;
          default -> null;
        };
    if (stream == null) return Optional.empty();
    char tag = line.charAt(b + 1);
    if (tag != 'P' && tag != 'F') return Optional.empty();
    String content = b + 3 <= line.length() ? line.substring(b + 3) : "";
    return Optional.of(new Record(ts, stream, tag == 'P', content));
  }

  /** Formats a full record, as the monitor writes it. */
  public static String format(Instant timestamp, LogEntry.Stream stream, String content) {
    return timestamp
        + " "
        + (stream == LogEntry.Stream.STDOUT ? "stdout" : "stderr")
        + " F "
        + content;
  }
}
