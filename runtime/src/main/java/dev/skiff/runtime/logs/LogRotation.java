package dev.skiff.runtime.logs;

import dev.skiff.runtime.ContainerRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Size-based rotation of a container's log, as the kubelet's container log manager does: when the
 * live file exceeds {@code maxSize}, it is renamed to {@code <name>.<UTC timestamp>}, the runtime
 * reopens the live file, and only the newest {@code maxFiles} files (live one included) are kept.
 */
public final class LogRotation {
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSSSSSSSS").withZone(ZoneOffset.UTC);

  private final ContainerRuntime runtime;
  private final Clock clock;

  public LogRotation(ContainerRuntime runtime, Clock clock) {
    this.runtime = runtime;
    this.clock = clock;
  }

  /** Rotates {@code log} of {@code containerId} if it is too big; returns whether it did. */
  public boolean rotateIfNeeded(String containerId, Path log, long maxSize, int maxFiles) {
    if (maxFiles < 2) throw new IllegalArgumentException("maxFiles must be at least 2");
    try {
      if (!Files.exists(log) || Files.size(log) <= maxSize) return false;
      Path rotated = log.resolveSibling(log.getFileName() + "." + SUFFIX.format(clock.instant()));
      Files.move(log, rotated);
      runtime.reopenContainerLog(containerId);
      List<Path> old = rotatedFiles(log);
      for (Path p : old.subList(0, Math.max(0, old.size() - (maxFiles - 1))))
        Files.deleteIfExists(p);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate " + log, e);
    }
  }

  /** Rotated files of {@code log}, oldest first (their suffixes sort by time). */
  public static List<Path> rotatedFiles(Path log) {
    Path dir = log.getParent();
    if (dir == null || !Files.isDirectory(dir)) return List.of();
    String prefix = log.getFileName() + ".";
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
