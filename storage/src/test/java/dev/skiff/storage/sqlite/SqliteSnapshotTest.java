package dev.skiff.storage.sqlite;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteSnapshotTest {
  @TempDir Path dir;

  @Test
  void snapshotTakenDuringWritesRestoresEverythingWrittenBeforeIt() throws Exception {
    Path db = dir.resolve("state.db");
    ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
    long revisionBefore;
    AtomicLong lastDuring = new AtomicLong();
    try (SqliteStore store = SqliteStore.open(db)) {
      for (int i = 0; i < 100; i++) {
        store.create("/registry/pods/default/p" + i, ("pod " + i).getBytes(UTF_8), 0);
      }
      store.update("/registry/pods/default/p0", "changed".getBytes(UTF_8), 0, 0);
      revisionBefore = store.currentRevision();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; writing.get(); i++) {
                      KeyValue kv = store.create("/registry/during/" + i, new byte[100], 0);
                      lastDuring.set(kv.modRevision());
                    }
                  });
      store.save(snapshot);
      writing.set(false);
      writer.join();
      store.create("/registry/pods/default/after", "late".getBytes(UTF_8), 0);
    }

    long restored = SqliteSnapshot.restore(new ByteArrayInputStream(snapshot.toByteArray()), db);

    assertTrue(restored >= revisionBefore);
    try (Store store = SqliteStore.open(db)) {
      assertEquals(restored, store.currentRevision());
      assertEquals(100, store.count("/registry/pods/"));
      assertEquals(
          "changed",
          new String(store.get("/registry/pods/default/p0").orElseThrow().value(), UTF_8));
      assertTrue(store.get("/registry/pods/default/after").isEmpty());
      long during = store.count("/registry/during/");
      assertEquals(restored - revisionBefore, during, "the snapshot is one consistent revision");
      assertTrue(store.create("/registry/next", new byte[1], 0).modRevision() > restored);
    }
  }

  @Test
  void garbageIsRefusedAndTheDatabaseKept() {
    Path db = dir.resolve("state.db");
    try (Store store = SqliteStore.open(db)) {
      store.create("/registry/keep", "me".getBytes(UTF_8), 0);
    }

    StorageException e =
        assertThrows(
            StorageException.class,
            () ->
                SqliteSnapshot.restore(
                    new ByteArrayInputStream("not a database".getBytes(UTF_8)), db));

    assertTrue(e.getMessage().startsWith("restore refused"), e.getMessage());
    try (Store store = SqliteStore.open(db)) {
      assertEquals("me", new String(store.get("/registry/keep").orElseThrow().value(), UTF_8));
    }
  }
}
