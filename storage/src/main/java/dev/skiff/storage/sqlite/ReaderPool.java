package dev.skiff.storage.sqlite;

import dev.skiff.storage.StorageException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Read-only connections. Each read runs in its own transaction, so everything it queries comes from
 * one WAL snapshot, including the compaction revision it checks against. Each connection keeps its
 * prepared statements: compiling the SQL cost as much as running it.
 */
final class ReaderPool implements AutoCloseable {
  interface Read<T> {
    T apply(Connection connection) throws SQLException;
  }

  private final BlockingQueue<Connection> idle;
  private final List<Connection> all = new ArrayList<>();

  // Filled once here; a connection's own map is touched only by the read holding the connection.
  private final Map<Connection, Map<String, PreparedStatement>> statements =
      new IdentityHashMap<>();

  ReaderPool(ConnectionFactory factory, int size) throws SQLException {
    idle = new ArrayBlockingQueue<>(size);
    for (int i = 0; i < size; i++) {
      Connection c = factory.open(false);
      c.setAutoCommit(false);
      all.add(c);
      statements.put(c, new HashMap<>());
      idle.add(c);
    }
  }

  <T> T read(Read<T> read) {
    Connection c;
    try {
      c = idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for a read connection", e);
    }
    try {
      T result = read.apply(c);
      c.commit();
      return result;
    } catch (SQLException e) {
      rollbackQuietly(c);
      // A failed statement may be left mid-step; compile afresh next time.
      closeStatements(c);
      throw new StorageException("sqlite read failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollbackQuietly(c);
      throw e;
    } finally {
      idle.add(c);
    }
  }

  /**
   * The reading connection's statement for {@code sql}, compiled on first use and kept: callers
   * close its result set (which resets it) but not the statement.
   */
  PreparedStatement statement(Connection c, String sql) throws SQLException {
    Map<String, PreparedStatement> mine = statements.get(c);
    PreparedStatement s = mine.get(sql);
    if (s == null) {
      s = c.prepareStatement(sql);
      mine.put(sql, s);
    }
    return s;
  }

  /**
   * Fails with Compacted when {@code revision} is below the compaction revision of the snapshot.
   */
  void requireNotCompacted(Connection c, long revision) throws SQLException {
    long compacted;
    try (ResultSet rs = statement(c, Schema.COMPACT_REVISION).executeQuery()) {
      compacted = rs.next() ? rs.getLong(1) : 0;
    }
    if (revision < compacted) {
      throw new StorageException.Compacted(revision, compacted);
    }
  }

  static long queryLong(Connection c, String sql) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // the connection reports the original failure; a failed rollback adds nothing
    }
  }

  private void closeStatements(Connection c) {
    Map<String, PreparedStatement> mine = statements.get(c);
    for (PreparedStatement s : mine.values()) {
      try {
        s.close();
      } catch (SQLException ignored) {
        // the statement is dropped either way
      }
    }
    mine.clear();
  }

  @Override
  public void close() {
    for (Connection c : all) {
      closeStatements(c);
      try {
        c.close();
      } catch (SQLException ignored) {
        // closing on shutdown; nothing left to protect
      }
    }
  }
}
