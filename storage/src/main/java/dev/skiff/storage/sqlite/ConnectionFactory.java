package dev.skiff.storage.sqlite;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.sqlite.SQLiteConfig;

/** Opens connections to one database file with the settings the store relies on. */
final class ConnectionFactory {
  private final Path file;
  private final boolean fsyncEachCommit;

  ConnectionFactory(Path file) {
    this(file, true);
  }

  ConnectionFactory(Path file, boolean fsyncEachCommit) {
    this.file = file;
    this.fsyncEachCommit = fsyncEachCommit;
  }

  Path file() {
    return file;
  }

  /**
   * WAL lets readers work beside the single writer. FULL synchronous makes every commit fsync the
   * WAL, so an acknowledged write survives a killed process and also a power loss; group commit
   * keeps that to one fsync per batch. NORMAL leaves the commit in the OS page cache, which a
   * killed process cannot lose but a crashed machine can.
   */
  Connection open(boolean writer) throws SQLException {
    SQLiteConfig config = new SQLiteConfig();
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.setSynchronous(
        fsyncEachCommit ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
    config.setBusyTimeout(10_000);
    // Otherwise the driver runs a query for the new row id after every insert; none is used.
    config.setGetGeneratedKeys(false);
    // after a burst the WAL is checkpointed; this keeps the file from staying at its peak size
    config.setJournalSizeLimit(64 * 1024 * 1024);
    if (writer) {
      config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    }
    return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
  }
}
