package dev.skiff.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.snapshot.KeyspaceDump;
import dev.skiff.storage.sqlite.SqliteStore;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
  @TempDir Path dir;

  @Test
  void noEndpointOpensSqliteInTheDataDir() {
    try (Store store = Stores.open(null, dir)) {
      assertInstanceOf(SqliteStore.class, store);
      store.create("/registry/x", "1".getBytes(UTF_8), 0);
    }
    assertTrue(Files.exists(dir.resolve("state.db")));
    try (Store store = Stores.open("", dir)) {
      assertEquals("1", new String(store.get("/registry/x").orElseThrow().value(), UTF_8));
    }
  }

  @Test
  void snapshotOfARunningEmbeddedStoreRoundTrips() throws Exception {
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    try (Store running = Stores.open(null, dir)) {
      running.create("/registry/pods/default/a", "a".getBytes(UTF_8), 0);
      Stores.saveSnapshot(null, dir, null, null, null, saved);
      running.create("/registry/pods/default/b", "b".getBytes(UTF_8), 0);
    }

    Path file = Files.write(dir.resolve("saved.db"), saved.toByteArray());
    Stores.restoreSnapshot(null, dir, null, null, null, file);

    try (Store store = Stores.open(null, dir)) {
      assertEquals(1, store.count("/registry/pods/"));
      assertTrue(store.get("/registry/pods/default/a").isPresent());
    }
    StorageException missing =
        assertThrows(
            StorageException.class,
            () -> Stores.saveSnapshot(null, dir.resolve("nothing"), null, null, null, saved));
    assertTrue(missing.getMessage().startsWith("no Skiff database"), missing.getMessage());
  }

  @Test
  void unknownEndpointIsRefusedWithTheAcceptedForms() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Stores.open("mysql://db:3306", dir));
    assertTrue(e.getMessage().contains("etcd://host:port"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Stores.open("etcd://", dir));
  }

  @Test
  void aSnapshotOfTheOtherBackendIsRefusedAndNothingChanges() throws Exception {
    ByteArrayOutputStream saved = new ByteArrayOutputStream();
    try (Store running = Stores.open(null, dir)) {
      running.create("/registry/pods/default/a", "a".getBytes(UTF_8), 0);
      Stores.saveSnapshot(null, dir, null, null, null, saved);
    }
    Path sqlite = Files.write(dir.resolve("sqlite.db"), saved.toByteArray());
    ByteArrayOutputStream dumped = new ByteArrayOutputStream();
    new KeyspaceDump.Writer(dumped, 7).finish();
    Path dump = Files.write(dir.resolve("etcd.snapshot"), dumped.toByteArray());

    StorageException intoEtcd =
        assertThrows(
            StorageException.class,
            () -> Stores.restoreSnapshot("etcd://127.0.0.1:1", dir, null, null, null, sqlite));
    StorageException intoSqlite =
        assertThrows(
            StorageException.class,
            () -> Stores.restoreSnapshot(null, dir, null, null, null, dump));

    assertTrue(
        intoEtcd.getMessage().contains("without --datastore-endpoint"), intoEtcd.getMessage());
    assertTrue(intoSqlite.getMessage().contains("etcd-backed cluster"), intoSqlite.getMessage());
    try (Store store = Stores.open(null, dir)) {
      assertTrue(store.get("/registry/pods/default/a").isPresent());
    }
  }
}
