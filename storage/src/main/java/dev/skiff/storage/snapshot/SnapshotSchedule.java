package dev.skiff.storage.snapshot;

import dev.skiff.api.cron.CronSchedule;
import dev.skiff.storage.Snapshots;
import dev.skiff.storage.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled snapshots ({@code --snapshot-schedule}, {@code --snapshot-retention}): at every time
 * the cron expression names, saves the store into {@code dir} as {@code skiff-snapshot-<UTC
 * time>.db} and deletes the oldest such files beyond the retention count.
 */
public final class SnapshotSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotSchedule.class);
  private static final String PREFIX = "skiff-snapshot-";
  private static final String SUFFIX = ".db";
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

  private final Snapshots store;
  private final Path dir;
  private final CronSchedule schedule;
  private final int retention;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  private SnapshotSchedule(
      Snapshots store, Path dir, CronSchedule schedule, int retention, Clock clock) {
    if (retention < 1) {
      throw new IllegalArgumentException("snapshot retention must be at least 1: " + retention);
    }
    this.store = store;
    this.dir = dir;
    this.schedule = schedule;
    this.retention = retention;
    this.clock = clock;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("snapshot-schedule").daemon().unstarted(r));
  }

  /** Starts taking snapshots on the schedule until closed. */
  public static SnapshotSchedule start(
      Snapshots store, Path dir, CronSchedule schedule, int retention) {
    SnapshotSchedule s = new SnapshotSchedule(store, dir, schedule, retention, Clock.systemUTC());
    s.scheduleNext();
    return s;
  }

  /** Without a timer, for taking snapshots on demand with the same naming and retention. */
  public static SnapshotSchedule manual(Snapshots store, Path dir, int retention, Clock clock) {
    return new SnapshotSchedule(store, dir, null, retention, clock);
  }

  private void scheduleNext() {
    ZonedDateTime now = ZonedDateTime.now(clock);
    schedule
        .next(now)
        .ifPresentOrElse(
            next ->
                timer.schedule(
                    this::scheduled, Duration.between(now, next).toMillis(), TimeUnit.MILLISECONDS),
            () -> LOG.warn("the snapshot schedule does not fire in the next five years"));
  }

  private void scheduled() {
    try {
      Path saved = takeSnapshot();
      LOG.info("saved snapshot {}", saved);
    } catch (RuntimeException e) {
      LOG.error("scheduled snapshot failed", e);
    }
    scheduleNext();
  }

  /**
   * Saves a snapshot now and applies retention.
   *
   * @return the new snapshot file
   */
  public Path takeSnapshot() {
    String name = PREFIX + STAMP.format(ZonedDateTime.now(clock)) + SUFFIX;
    Path target = dir.resolve(name);
    Path partial = dir.resolve("." + name + ".partial");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(partial)) {
        store.save(out);
      }
      Files.move(
          partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      prune();
      return target;
    } catch (IOException e) {
      throw new StorageException("cannot write snapshot " + target + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // a leftover partial file is named so that retention and restore ignore it
      }
    }
  }

  /** Snapshot files in {@code dir}, newest first. */
  public List<Path> snapshots() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(PREFIX))
          .filter(p -> p.getFileName().toString().endsWith(SUFFIX))
          .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
          .toList();
    }
  }

  private void prune() throws IOException {
    List<Path> all = snapshots();
    for (Path old : all.subList(Math.min(retention, all.size()), all.size())) {
      Files.deleteIfExists(old);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
