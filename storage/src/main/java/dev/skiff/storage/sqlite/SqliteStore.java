package dev.skiff.storage.sqlite;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Snapshots;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.WatchEvent;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one SQLite file in WAL mode holding every revision (see {@link Schema}), one
 * group-committing writer, a pool of readers, watches fed from the commit path, TTL deletes and
 * periodic compaction.
 */
public final class SqliteStore implements Store, Snapshots {
  private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);
  private static final byte[] EMPTY = new byte[0];

  private final ConnectionFactory connections;
  private final StoreLock lock;
  private final ReaderPool readers;
  private final WatchHub hub;
  private final GroupCommitter writer;
  private final ScheduledExecutorService maintenance;
  private final long keepRevisions;
  private long revisionAtLastTick;

  /** Opens (creating if needed) the database at {@code file} with default options. */
  public static SqliteStore open(Path file) {
    return open(file, SqliteOptions.defaults());
  }

  public static SqliteStore open(Path file, SqliteOptions options) {
    StoreLock lock = null;
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      lock = StoreLock.acquire(file);
      return new SqliteStore(new ConnectionFactory(file, options.fsyncEachCommit()), options, lock);
    } catch (SQLException | java.io.IOException e) {
      if (lock != null) {
        lock.close();
      }
      throw new StorageException("cannot open sqlite store " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      throw e;
    }
  }

  private SqliteStore(ConnectionFactory connections, SqliteOptions options, StoreLock lock)
      throws SQLException {
    this.connections = connections;
    this.lock = lock;
    this.keepRevisions = options.keepRevisions();
    Connection writerConnection = connections.open(true);
    long revision;
    long compacted;
    try (Statement s = writerConnection.createStatement()) {
      for (String ddl : Schema.CREATE) {
        s.execute(ddl);
      }
      compacted = ReaderPool.queryLong(writerConnection, Schema.COMPACT_REVISION);
      revision = Math.max(ReaderPool.queryLong(writerConnection, Schema.MAX_REVISION), compacted);
    }
    this.readers = new ReaderPool(connections, options.readers());
    this.maintenance =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("sqlite-maintenance").daemon().unstarted(r));
    this.hub = new WatchHub(this::history, revision, compacted);
    this.writer = new GroupCommitter(writerConnection, revision, hub, this::scheduleExpiry);
    this.revisionAtLastTick = revision;
    readers.read(this::scheduleStoredExpiries);
    long interval = options.compactInterval().toMillis();
    maintenance.scheduleWithFixedDelay(
        this::periodicCompaction, interval, interval, TimeUnit.MILLISECONDS);
  }

  /** The database file. */
  public Path file() {
    return connections.file();
  }

  @Override
  public long currentRevision() {
    return hub.revision();
  }

  @Override
  public long compactedRevision() {
    return hub.compacted();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return get(key, 0);
  }

  @Override
  public Optional<KeyValue> get(String key, long revision) {
    requireKey(key);
    long at = readRevision(revision);
    return readers.read(
        c -> {
          readers.requireNotCompacted(c, at);
          PreparedStatement s = readers.statement(c, Schema.LATEST_AT);
          s.setString(1, key);
          s.setLong(2, at);
          try (ResultSet rs = s.executeQuery()) {
            if (!rs.next() || rs.getInt(2) != 0) {
              return Optional.empty();
            }
            return Optional.of(
                new KeyValue(key, rs.getBytes(5), rs.getLong(3), rs.getLong(1), rs.getLong(4)));
          }
        });
  }

  @Override
  public RangeResult list(String prefix, String startAfter, int limit, long revision) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    long at = readRevision(revision);
    String end = Schema.rangeEnd(prefix);
    boolean after = startAfter != null;
    return readers.read(
        c -> {
          readers.requireNotCompacted(c, at);
          List<KeyValue> kvs = new ArrayList<>();
          boolean more = false;
          PreparedStatement s =
              readers.statement(c, Schema.latestInRange(end != null, after, limit > 0));
          int i = bindRange(s, prefix, end);
          if (after) {
            s.setString(i++, startAfter);
          }
          s.setLong(i++, at);
          if (limit > 0) {
            s.setInt(i, limit + 1);
          }
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              if (limit > 0 && kvs.size() == limit) {
                more = true;
                break;
              }
              kvs.add(
                  new KeyValue(
                      rs.getString(2),
                      rs.getBytes(5),
                      rs.getLong(3),
                      rs.getLong(1),
                      rs.getLong(4)));
            }
          }
          // A whole, unpaged range is its own count: no second query.
          long count = after || limit > 0 ? count(c, prefix, end, at) : kvs.size();
          return new RangeResult(kvs, at, more, count);
        });
  }

  @Override
  public long count(String prefix) {
    long at = currentRevision();
    String end = Schema.rangeEnd(prefix);
    return readers.read(c -> count(c, prefix, end, at));
  }

  private long count(Connection c, String prefix, String end, long at) throws SQLException {
    PreparedStatement s = readers.statement(c, Schema.countInRange(end != null));
    int i = bindRange(s, prefix, end);
    s.setLong(i, at);
    try (ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  private static int bindRange(PreparedStatement s, String prefix, String end) throws SQLException {
    s.setString(1, prefix);
    if (end == null) {
      return 2;
    }
    s.setString(2, end);
    return 3;
  }

  @Override
  public KeyValue create(String key, byte[] value, long ttlSeconds) {
    requireWrite(key, value, ttlSeconds);
    return await(
        writer.submit(new WriteOp.Create(key, value, ttlSeconds, new CompletableFuture<>())));
  }

  @Override
  public KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    requireWrite(key, value, ttlSeconds);
    return await(
        writer.submit(
            new WriteOp.Update(
                key, value, expectedModRevision, ttlSeconds, new CompletableFuture<>())));
  }

  @Override
  public KeyValue delete(String key, long expectedModRevision) {
    requireKey(key);
    return await(
        writer.submit(new WriteOp.Delete(key, expectedModRevision, new CompletableFuture<>())));
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    if (prefix == null || listener == null) {
      throw new IllegalArgumentException("prefix and listener are required");
    }
    return hub.watch(prefix, afterRevision, listener);
  }

  @Override
  public void compact(long revision) {
    long current = currentRevision();
    if (revision > current) {
      throw new StorageException.FutureRevision(revision, current);
    }
    if (revision <= compactedRevision()) {
      return;
    }
    await(writer.submit(new WriteOp.Compact(revision, new CompletableFuture<>())));
  }

  /**
   * Compacts to the revision seen one interval ago, but never into the last {@code keepRevisions}
   * revisions: history is kept for at least one interval and at least that many revisions.
   */
  private void periodicCompaction() {
    try {
      long current = currentRevision();
      long target = Math.min(revisionAtLastTick, current - keepRevisions);
      revisionAtLastTick = current;
      if (target > compactedRevision()) {
        long started = System.nanoTime();
        compact(target);
        LOG.debug("compacted to {} in {} ms", target, (System.nanoTime() - started) / 1_000_000);
      }
    } catch (RuntimeException e) {
      LOG.warn("periodic compaction failed", e);
    }
  }

  private Void scheduleStoredExpiries(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(Schema.EXPIRING);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        scheduleExpiry(rs.getString(1), rs.getLong(2), rs.getLong(3));
      }
    }
    return null;
  }

  private void scheduleExpiry(String key, long modRevision, long expiresAtMillis) {
    long delay = Math.max(0, expiresAtMillis - System.currentTimeMillis());
    maintenance.schedule(() -> expire(key, modRevision), delay, TimeUnit.MILLISECONDS);
  }

  /** Deletes the key unless it was written again since; the delete is an ordinary revision. */
  private void expire(String key, long modRevision) {
    try {
      delete(key, modRevision);
    } catch (StorageException.KeyNotFound | StorageException.Conflict superseded) {
      LOG.trace("{} changed before its lease expired", key);
    } catch (StorageException e) {
      LOG.debug("could not expire {}: {}", key, e.getMessage());
    }
  }

  private List<WatchEvent> history(String prefix, long after, long upTo, int limit) {
    String end = Schema.rangeEnd(prefix);
    return readers.read(
        c -> {
          readers.requireNotCompacted(c, after);
          List<WatchEvent> events = new ArrayList<>();
          PreparedStatement s = readers.statement(c, Schema.history(end != null));
          s.setLong(1, after);
          s.setLong(2, upTo);
          s.setString(3, prefix);
          int i = 4;
          if (end != null) {
            s.setString(i++, end);
          }
          s.setInt(i, limit);
          try (ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
              events.add(event(rs));
            }
          }
          return events;
        });
  }

  private static WatchEvent event(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    String key = rs.getString(2);
    long createRevision = rs.getLong(5);
    if (rs.getInt(3) != 0) {
      KeyValue kv = new KeyValue(key, rs.getBytes(8), createRevision, id, rs.getLong(7));
      return new WatchEvent(WatchEvent.Type.CREATE, kv, null);
    }
    KeyValue prev =
        new KeyValue(key, rs.getBytes(9), createRevision, rs.getLong(6), rs.getLong(10));
    if (rs.getInt(4) != 0) {
      KeyValue marker = new KeyValue(key, EMPTY, createRevision, id, 0);
      return new WatchEvent(WatchEvent.Type.DELETE, marker, prev);
    }
    KeyValue kv = new KeyValue(key, rs.getBytes(8), createRevision, id, rs.getLong(7));
    return new WatchEvent(WatchEvent.Type.UPDATE, kv, prev);
  }

  @Override
  public void save(OutputStream out) {
    SqliteSnapshot.save(connections, out);
  }

  private long readRevision(long revision) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative: " + revision);
    }
    long current = currentRevision();
    if (revision > current) {
      throw new StorageException.FutureRevision(revision, current);
    }
    return revision == 0 ? current : revision;
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
  }

  private static void requireWrite(String key, byte[] value, long ttlSeconds) {
    requireKey(key);
    if (value == null) {
      throw new IllegalArgumentException("value must not be null for " + key);
    }
    if (ttlSeconds < 0) {
      throw new IllegalArgumentException("ttlSeconds must not be negative: " + ttlSeconds);
    }
  }

  private static KeyValue await(CompletableFuture<KeyValue> result) {
    try {
      return result.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StorageException s) {
        throw s;
      }
      throw new StorageException("sqlite write failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for a write to commit", e);
    }
  }

  @Override
  public void close() {
    maintenance.shutdownNow();
    writer.close();
    hub.close();
    readers.close();
    lock.close();
  }
}
