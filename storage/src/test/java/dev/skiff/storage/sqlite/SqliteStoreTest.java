package dev.skiff.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.StoreContractTest;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContractTest {
  @TempDir Path dir;

  @Override
  protected Store openStore() {
    return SqliteStore.open(dir.resolve("state.db"));
  }

  @Test
  void periodicCompactionKeepsTheRecentRevisions() {
    store.close();
    store =
        SqliteStore.open(
            dir.resolve("state.db"), new SqliteOptions(Duration.ofMillis(100), 10, 2, true));
    KeyValue first = store.create("/registry/c/a", "0".getBytes(UTF_8), 0);
    for (int i = 1; i <= 50; i++) {
      store.update("/registry/c/a", ("" + i).getBytes(UTF_8), 0, 0);
    }
    long last = store.currentRevision();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.compactedRevision() > first.modRevision());

    assertTrue(store.compactedRevision() <= last - 10);
    assertThrows(
        StorageException.Compacted.class, () -> store.get("/registry/c/a", first.modRevision()));
    assertEquals(
        "40", new String(store.get("/registry/c/a", last - 10).orElseThrow().value(), UTF_8));
  }

  @Test
  void compactionLeavesOneRowPerLiveKey() throws Exception {
    for (int i = 0; i < 20; i++) {
      store.create("/registry/rows/" + i, "v".getBytes(UTF_8), 0);
      store.update("/registry/rows/" + i, "w".getBytes(UTF_8), 0, 0);
    }
    for (int i = 0; i < 5; i++) {
      store.delete("/registry/rows/" + i, 0);
    }
    store.compact(store.currentRevision());

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("state.db"));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM kine")) {
      rs.next();
      assertEquals(15, rs.getLong(1));
    }
  }

  @Test
  void aSecondStoreOnTheSameFileIsRefused() {
    Path db = dir.resolve("state.db");
    StorageException inUse = assertThrows(StorageException.class, () -> SqliteStore.open(db));
    assertTrue(inUse.getMessage().contains("in use"), inUse.getMessage());
    StorageException restore =
        assertThrows(
            StorageException.class,
            () -> SqliteSnapshot.restore(new java.io.ByteArrayInputStream(new byte[0]), db));
    assertTrue(restore.getMessage().contains("in use"), restore.getMessage());

    store.close();
    store = SqliteStore.open(db);
    assertEquals(0, store.count("/registry/"));
  }

  @Test
  void expiryPendingAtShutdownHappensAfterReopen() {
    store.create("/registry/events/default/e1", "x".getBytes(UTF_8), 2);
    reopen();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.get("/registry/events/default/e1").isEmpty());
  }

  @Test
  void wholeAndPagedListsCountTheSameLiveKeys() {
    for (int i = 0; i < 6; i++) {
      store.create("/registry/counted/" + i, "v".getBytes(UTF_8), 0);
    }
    long before = store.currentRevision();
    store.delete("/registry/counted/2", 0);
    store.create("/registry/countedx/0", "v".getBytes(UTF_8), 0);

    assertEquals(5, store.list("/registry/counted/", null, 0, 0).count());
    assertEquals(5, store.list("/registry/counted/", null, 2, 0).count());
    assertEquals(6, store.list("/registry/counted/", null, 0, before).count());
    assertEquals(5, store.list("/registry/counted/", "/registry/counted/3", 0, 0).count());
  }
}
