package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.Stores;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code skiff snapshot save/restore} on a real etcd: what was saved is what is served after. */
class EtcdSnapshotTest {
  @TempDir Path dir;
  private LocalEtcd etcd;

  @BeforeEach
  void startEtcd() {
    etcd = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 1);
  }

  @AfterEach
  void stopEtcd() {
    etcd.close();
  }

  private Path save(String name) throws Exception {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      Stores.saveSnapshot(etcd.endpoint(), dir, null, null, null, out);
    }
    return file;
  }

  private long restore(Path file) {
    return Stores.restoreSnapshot(etcd.endpoint(), dir, null, null, null, file);
  }

  private static String value(Store store, String key) {
    return new String(store.get(key).orElseThrow().value(), UTF_8);
  }

  @Test
  void restorePutsBackExactlyTheSavedObjects() throws Exception {
    Path snapshot;
    long savedAt;
    try (Store store = Stores.open(etcd.endpoint(), dir)) {
      store.create("/registry/pods/default/a", "a1".getBytes(UTF_8), 0);
      KeyValue a = store.create("/registry/pods/default/b", "b1".getBytes(UTF_8), 0);
      store.update("/registry/pods/default/b", "b2".getBytes(UTF_8), a.modRevision(), 0);
      store.create("/registry/events/default/e", "event".getBytes(UTF_8), 3600);
      savedAt = store.currentRevision();

      snapshot = save("cluster.snapshot");

      store.delete("/registry/pods/default/a", 0);
      store.update("/registry/pods/default/b", "b3".getBytes(UTF_8), 0, 0);
      store.create("/registry/pods/default/c", "c1".getBytes(UTF_8), 0);
    }

    long restoredAt = restore(snapshot);

    try (Store store = Stores.open(etcd.endpoint(), dir)) {
      assertEquals(
          List.of(
              "/registry/events/default/e", "/registry/pods/default/a", "/registry/pods/default/b"),
          store.list("", null, 0, 0).kvs().stream().map(KeyValue::key).toList());
      assertEquals("a1", value(store, "/registry/pods/default/a"));
      assertEquals("b2", value(store, "/registry/pods/default/b"));
      assertNotEquals(0, store.get("/registry/events/default/e").orElseThrow().lease());
      assertTrue(restoredAt > savedAt, "revisions keep rising: " + restoredAt + " > " + savedAt);
      assertTrue(store.get("/registry/pods/default/a").orElseThrow().modRevision() > savedAt);
    }
  }

  @Test
  void aDamagedSnapshotIsRefusedAndTheClusterKeepsItsKeys() throws Exception {
    try (Store store = Stores.open(etcd.endpoint(), dir)) {
      store.create("/registry/pods/default/a", "a1".getBytes(UTF_8), 0);
      store.create("/registry/pods/default/b", "b1".getBytes(UTF_8), 0);
    }
    byte[] good = Files.readAllBytes(save("good.snapshot"));
    Path truncated = Files.write(dir.resolve("truncated"), Arrays.copyOf(good, good.length - 3));
    byte[] flipped = good.clone();
    flipped[20] ^= 1;
    Path corrupt = Files.write(dir.resolve("corrupt"), flipped);
    try (Store store = Stores.open(etcd.endpoint(), dir)) {
      store.delete("/registry/pods/default/b", 0);
    }

    StorageException early = assertThrows(StorageException.class, () -> restore(truncated));
    StorageException bad = assertThrows(StorageException.class, () -> restore(corrupt));

    assertTrue(early.getMessage().contains("ends early"), early.getMessage());
    assertTrue(bad.getMessage().contains("damaged"), bad.getMessage());
    try (Store store = Stores.open(etcd.endpoint(), dir)) {
      assertEquals("a1", value(store, "/registry/pods/default/a"));
      assertFalse(store.get("/registry/pods/default/b").isPresent());
    }
    restore(dir.resolve("good.snapshot"));
    try (Store store = Stores.open(etcd.endpoint(), dir)) {
      assertArrayEquals(
          "b1".getBytes(UTF_8), store.get("/registry/pods/default/b").orElseThrow().value());
    }
  }
}
