package dev.skiff.storage.sqlite;

import dev.skiff.storage.StorageException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Backup and restore of the SQLite file. Saving uses {@code VACUUM INTO}, which copies one read
 * snapshot of the database while the writer keeps committing; the copy is a plain SQLite file.
 */
public final class SqliteSnapshot {
  private SqliteSnapshot() {}

  /**
   * Saves the database at {@code file} without opening a store on it, so it is safe while a server
   * in another process has the store open.
   *
   * @throws StorageException if there is no database at {@code file}
   */
  public static void save(Path file, OutputStream out) {
    if (!Files.isRegularFile(file)) {
      throw new StorageException("no Skiff database at " + file);
    }
    save(new ConnectionFactory(file), out);
  }

  static void save(ConnectionFactory connections, OutputStream out) {
    Path copy = null;
    try {
      Path dir = connections.file().toAbsolutePath().getParent();
      copy = Files.createTempFile(dir, "snapshot-", ".db");
      Files.delete(copy);
      try (Connection c = connections.open(false);
          PreparedStatement s = c.prepareStatement("VACUUM INTO ?")) {
        s.setString(1, copy.toString());
        s.execute();
      }
      Files.copy(copy, out);
      out.flush();
    } catch (SQLException | IOException e) {
      throw new StorageException("snapshot failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(copy);
    }
  }

  /**
   * Replaces the database at {@code file} with the snapshot read from {@code in}. No store may have
   * the file open. The snapshot is checked before anything is replaced, so a bad input leaves the
   * current database untouched.
   *
   * @return the revision the restored store continues from
   */
  public static long restore(InputStream in, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path incoming = null;
    try (StoreLock _ = lockFor(file)) {
      incoming = Files.createTempFile(dir, "restore-", ".db");
      Files.copy(in, incoming, StandardCopyOption.REPLACE_EXISTING);
      long revision = verify(incoming);
      Files.deleteIfExists(Path.of(file + "-wal"));
      Files.deleteIfExists(Path.of(file + "-shm"));
      Files.move(
          incoming, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return revision;
    } catch (IOException e) {
      throw new StorageException("restore failed: " + e.getMessage(), e);
    } finally {
      deleteQuietly(incoming);
    }
  }

  private static StoreLock lockFor(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new StorageException("restore failed: " + e.getMessage(), e);
    }
    return StoreLock.acquire(file);
  }

  private static long verify(Path candidate) {
    try (Connection c = new ConnectionFactory(candidate).open(false);
        Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
        if (!rs.next() || !"ok".equals(rs.getString(1))) {
          throw new StorageException("restore refused: the snapshot is damaged");
        }
      }
      try (ResultSet rs =
          s.executeQuery(
              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'kine'")) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new StorageException("restore refused: not a Skiff snapshot (no kine table)");
        }
      }
      long compacted = ReaderPool.queryLong(c, Schema.COMPACT_REVISION);
      return Math.max(ReaderPool.queryLong(c, Schema.MAX_REVISION), compacted);
    } catch (SQLException e) {
      throw new StorageException(
          "restore refused: not a SQLite database (" + e.getMessage() + ")", e);
    }
  }

  private static void deleteQuietly(Path path) {
    if (path == null) {
      return;
    }
    try {
      Files.deleteIfExists(path);
      Files.deleteIfExists(Path.of(path + "-wal"));
      Files.deleteIfExists(Path.of(path + "-shm"));
    } catch (IOException ignored) {
      // a leftover temporary file is harmless
    }
  }
}
