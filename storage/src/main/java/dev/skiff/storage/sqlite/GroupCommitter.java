package dev.skiff.storage.sqlite;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.WatchEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The only writer. It takes every write queued since its last commit, applies them in one
 * transaction and commits once, so under load many writes share one fsync. Only after the commit
 * does it publish the events and acknowledge the callers.
 *
 * <p>It never waits for more writes than are queued: the writes that arrive during one commit's
 * fsync make up the next batch, and a write is not held back for others that may come.
 */
final class GroupCommitter implements AutoCloseable {
  private static final int MAX_BATCH = 1024;
  private static final byte[] EMPTY = new byte[0];

  /** Learns about committed keys that expire. */
  interface ExpiryListener {
    void expiring(String key, long modRevision, long expiresAtMillis);
  }

  private final Connection connection;
  private final WatchHub hub;
  private final ExpiryListener expiry;
  private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private final Object stop = new Object();
  private long revision;
  private boolean closed;

  GroupCommitter(Connection connection, long revision, WatchHub hub, ExpiryListener expiry)
      throws SQLException {
    this.connection = connection;
    this.revision = revision;
    this.hub = hub;
    this.expiry = expiry;
    connection.setAutoCommit(false);
    thread = Thread.ofPlatform().name("sqlite-writer").daemon().start(this::run);
  }

  CompletableFuture<KeyValue> submit(WriteOp op) {
    synchronized (this) {
      if (closed) {
        throw new StorageException("store is closed");
      }
      queue.add(op);
    }
    return op.result();
  }

  private void run() {
    List<WriteOp> batch = new ArrayList<>(MAX_BATCH);
    List<Object> drained = new ArrayList<>(MAX_BATCH);
    boolean stopping = false;
    while (!stopping) {
      try {
        drained.add(queue.take());
      } catch (InterruptedException e) {
        break;
      }
      queue.drainTo(drained, MAX_BATCH - 1);
      for (Object item : drained) {
        if (item == stop) {
          stopping = true;
        } else {
          batch.add((WriteOp) item);
        }
      }
      if (!batch.isEmpty()) {
        commit(batch);
      }
      batch.clear();
      drained.clear();
    }
  }

  private record Done(WriteOp op, KeyValue result, StorageException error, long expiresAt) {}

  private void commit(List<WriteOp> batch) {
    List<Done> done = new ArrayList<>(batch.size());
    List<WatchEvent> events = new ArrayList<>(batch.size());
    long next = revision;
    long compactedTo = -1;
    try {
      for (WriteOp op : batch) {
        if (op instanceof WriteOp.Compact c) {
          compact(c.revision());
          compactedTo = c.revision();
          done.add(new Done(op, null, null, 0));
          continue;
        }
        Latest latest = latest(key(op));
        try {
          Done d = apply(op, latest, next + 1, events);
          next++;
          done.add(d);
        } catch (StorageException refused) {
          done.add(new Done(op, null, refused, 0));
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      StorageException failure = new StorageException("sqlite write failed: " + e.getMessage(), e);
      batch.forEach(op -> op.result().completeExceptionally(failure));
      return;
    }
    revision = next;
    if (compactedTo >= 0) {
      hub.compactedTo(Math.max(compactedTo, hub.compacted()));
    }
    hub.publish(events, revision);
    for (Done d : done) {
      if (d.error != null) {
        d.op.result().completeExceptionally(d.error);
        continue;
      }
      if (d.expiresAt > 0) {
        expiry.expiring(d.result.key(), d.result.modRevision(), d.expiresAt);
      }
      d.op.result().complete(d.result);
    }
  }

  private static String key(WriteOp op) {
    return switch (op) {
      case WriteOp.Create c -> c.key();
      case WriteOp.Update u -> u.key();
      case WriteOp.Delete d -> d.key();
      case WriteOp.Compact c -> throw new IllegalStateException("compaction has no key");
    };
  }

  private Done apply(WriteOp op, Latest latest, long rev, List<WatchEvent> events)
      throws SQLException {
    boolean live = latest != null && !latest.deleted;
    switch (op) {
      case WriteOp.Create c -> {
        if (live) {
          throw new StorageException.KeyExists(c.key());
        }
        long expiresAt = expiresAt(c.ttlSeconds());
        insert(rev, c.key(), true, false, rev, latest == null ? 0 : latest.id, c.ttlSeconds());
        insertValues(c.value(), null, expiresAt);
        KeyValue kv = new KeyValue(c.key(), c.value(), rev, rev, c.ttlSeconds());
        events.add(new WatchEvent(WatchEvent.Type.CREATE, kv, null));
        return new Done(op, kv, null, expiresAt);
      }
      case WriteOp.Update u -> {
        KeyValue prev = current(u.key(), latest, live, u.expectedModRevision());
        long expiresAt = expiresAt(u.ttlSeconds());
        insert(
            rev, u.key(), false, false, prev.createRevision(), prev.modRevision(), u.ttlSeconds());
        insertValues(u.value(), prev.value(), expiresAt);
        KeyValue kv = new KeyValue(u.key(), u.value(), prev.createRevision(), rev, u.ttlSeconds());
        events.add(new WatchEvent(WatchEvent.Type.UPDATE, kv, prev));
        return new Done(op, kv, null, expiresAt);
      }
      case WriteOp.Delete d -> {
        KeyValue prev = current(d.key(), latest, live, d.expectedModRevision());
        insert(rev, d.key(), false, true, prev.createRevision(), prev.modRevision(), 0);
        insertValues(EMPTY, prev.value(), 0);
        KeyValue marker = new KeyValue(d.key(), EMPTY, prev.createRevision(), rev, 0);
        events.add(new WatchEvent(WatchEvent.Type.DELETE, marker, prev));
        KeyValue deleted =
            new KeyValue(d.key(), prev.value(), prev.createRevision(), rev, prev.lease());
        return new Done(op, deleted, null, 0);
      }
      case WriteOp.Compact c -> throw new IllegalStateException("compaction is not a key write");
    }
  }

  private static KeyValue current(String key, Latest latest, boolean live, long expected) {
    if (!live) {
      throw new StorageException.KeyNotFound(key);
    }
    KeyValue kv = new KeyValue(key, latest.value, latest.createRevision, latest.id, latest.lease);
    if (expected != 0 && expected != latest.id) {
      throw new StorageException.Conflict(key, kv);
    }
    return kv;
  }

  private static long expiresAt(long ttlSeconds) {
    return ttlSeconds > 0 ? System.currentTimeMillis() + ttlSeconds * 1000 : 0;
  }

  private record Latest(long id, boolean deleted, long createRevision, long lease, byte[] value) {}

  private PreparedStatement latestStatement;
  private PreparedStatement insertStatement;

  private Latest latest(String key) throws SQLException {
    if (latestStatement == null) {
      latestStatement = connection.prepareStatement(Schema.LATEST);
    }
    latestStatement.setString(1, key);
    try (ResultSet rs = latestStatement.executeQuery()) {
      if (!rs.next()) {
        return null;
      }
      return new Latest(
          rs.getLong(1), rs.getInt(2) != 0, rs.getLong(3), rs.getLong(4), rs.getBytes(5));
    }
  }

  private void insert(
      long id,
      String key,
      boolean created,
      boolean deleted,
      long createRev,
      long prevRev,
      long lease)
      throws SQLException {
    if (insertStatement == null) {
      insertStatement = connection.prepareStatement(Schema.INSERT);
    }
    insertStatement.setLong(1, id);
    insertStatement.setString(2, key);
    insertStatement.setInt(3, created ? 1 : 0);
    insertStatement.setInt(4, deleted ? 1 : 0);
    insertStatement.setLong(5, createRev);
    insertStatement.setLong(6, prevRev);
    insertStatement.setLong(7, lease);
  }

  private void insertValues(byte[] value, byte[] oldValue, long expiresAt) throws SQLException {
    insertStatement.setBytes(8, value);
    insertStatement.setBytes(9, oldValue);
    insertStatement.setLong(10, expiresAt);
    insertStatement.executeUpdate();
  }

  private void compact(long target) throws SQLException {
    long previous = ReaderPool.queryLong(connection, Schema.COMPACT_REVISION);
    if (target <= previous) {
      return;
    }
    try (PreparedStatement replaced = connection.prepareStatement(Schema.COMPACT_REPLACED);
        PreparedStatement deleted = connection.prepareStatement(Schema.COMPACT_DELETED);
        PreparedStatement mark = connection.prepareStatement(Schema.SET_COMPACT_REVISION)) {
      for (PreparedStatement s : List.of(replaced, deleted)) {
        s.setLong(1, previous);
        s.setLong(2, target);
        s.executeUpdate();
      }
      mark.setLong(1, target);
      mark.executeUpdate();
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the batch already failed; its callers get that error
    }
  }

  /** Commits what was queued before the call, then stops; later writes are refused. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(stop);
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (latestStatement != null) {
        latestStatement.close();
      }
      if (insertStatement != null) {
        insertStatement.close();
      }
      connection.close();
    } catch (SQLException ignored) {
      // shutting down; the data is committed already
    }
  }
}
