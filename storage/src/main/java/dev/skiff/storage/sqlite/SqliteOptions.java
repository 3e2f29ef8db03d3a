package dev.skiff.storage.sqlite;

import java.time.Duration;

/**
 * Tuning of the SQLite store.
 *
 * @param compactInterval how often history is compacted, and the least age of history kept
 * @param keepRevisions the least number of recent revisions kept by periodic compaction
 * @param readers number of read connections
 * @param fsyncEachCommit true: every commit is fsynced (synchronous=FULL), so acknowledged writes
 *     survive a power loss too; false: synchronous=NORMAL, acknowledged writes survive a killed
 *     process but the last ones may be lost with the machine, for higher write rates on slow disks
 */
public record SqliteOptions(
    Duration compactInterval, long keepRevisions, int readers, boolean fsyncEachCommit) {
  public SqliteOptions {
    if (compactInterval.isNegative() || compactInterval.isZero()) {
      throw new IllegalArgumentException("compactInterval must be positive: " + compactInterval);
    }
    if (keepRevisions < 0) {
      throw new IllegalArgumentException("keepRevisions must not be negative: " + keepRevisions);
    }
    if (readers < 1) {
      throw new IllegalArgumentException("readers must be at least 1: " + readers);
    }
  }

  /** Keep 5 minutes and at least 1,000 revisions of history, as k3s' kine does. */
  public static SqliteOptions defaults() {
    return new SqliteOptions(Duration.ofMinutes(5), 1000, 4, true);
  }
}
