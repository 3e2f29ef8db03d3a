package dev.skiff.runtime.logs;

import java.time.Instant;

/** One line of container output from a CRI log file, with partial records joined. */
public record LogEntry(Instant timestamp, Stream stream, String content) {

  /** The stream a line was written to. */
  public enum Stream {
    STDOUT,
    STDERR
  }
}
