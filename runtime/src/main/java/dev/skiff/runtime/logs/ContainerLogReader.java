package dev.skiff.runtime.logs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a container's CRI log as {@code kubectl logs} shows it: partial records joined per stream,
 * optionally only entries at or after {@code since}, only the last {@code tailLines}, and only some
 * streams. Rotated files ({@code 0.log.<suffix>}) are read before the live one.
 */
public final class ContainerLogReader {
  private ContainerLogReader() {}

  /** What to read; {@code tailLines < 0} means all, a null {@code since} means from the start. */
  public record Options(Instant since, int tailLines, boolean stdout, boolean stderr) {
    public static final Options ALL = new Options(null, -1, true, true);
  }

  public static List<LogEntry> read(Path log, Options options) {
    List<Path> files = new ArrayList<>(LogRotation.rotatedFiles(log));
    if (Files.exists(log)) files.add(log);
    Deque<LogEntry> out = new ArrayDeque<>();
    Map<LogEntry.Stream, StringBuilder> pending = new EnumMap<>(LogEntry.Stream.class);
    for (Path f : files) {
      List<String> lines;
      try {
        lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read log " + f, e);
      }
      for (String line : lines) {
        var rec = CriLogFormat.parse(line);
        if (rec.isEmpty()) continue;
        var r = rec.get();
        StringBuilder buf = pending.computeIfAbsent(r.stream(), s -> new StringBuilder());
        buf.append(r.content());
        if (r.partial()) continue;
        LogEntry entry = new LogEntry(r.timestamp(), r.stream(), buf.toString());
        buf.setLength(0);
        if (!wanted(entry, options)) continue;
        out.addLast(entry);
        if (options.tailLines() >= 0 && out.size() > options.tailLines()) out.removeFirst();
      }
    }
    return List.copyOf(out);
  }

  private static boolean wanted(LogEntry e, Options o) {
    if (o.since() != null && e.timestamp().isBefore(o.since())) return false;
    return e.stream() == LogEntry.Stream.STDOUT ? o.stdout() : o.stderr();
  }
}
