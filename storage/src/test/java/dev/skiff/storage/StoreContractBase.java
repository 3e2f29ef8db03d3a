package dev.skiff.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first half of the store contract: reads, conditional writes and listing. Backends extend
 * {@link StoreContractTest}, which adds history, watches and expiry.
 */
public abstract class StoreContractBase {
  /** Opens the backend on this test's data; opening again must find the same data. */
  protected abstract Store openStore();

  protected Store store;

  /** Keys of this test live under their own prefix, so backends may share one server. */
  protected String prefix;

  @BeforeEach
  void openBackend() {
    store = openStore();
    prefix = "/registry/contract-" + UUID.randomUUID() + "/";
  }

  @AfterEach
  void closeBackend() {
    store.close();
  }

  protected final Store reopen() {
    store.close();
    store = openStore();
    return store;
  }

  protected final String key(String name) {
    return prefix + name;
  }

  protected static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  protected static String text(KeyValue kv) {
    return new String(kv.value(), UTF_8);
  }

  @Test
  void createdKeyReadsBackWithItsRevision() {
    long before = store.currentRevision();
    KeyValue created = store.create(key("a"), bytes("one"), 0);

    assertTrue(created.modRevision() > before);
    assertEquals(created.modRevision(), created.createRevision());
    assertEquals(created.modRevision(), store.currentRevision());
    KeyValue read = store.get(key("a")).orElseThrow();
    assertEquals("one", text(read));
    assertEquals(created.modRevision(), read.modRevision());
    assertEquals(Optional.empty(), store.get(key("missing")));
  }

  @Test
  void createOfPresentKeyFailsAndKeepsValue() {
    store.create(key("a"), bytes("one"), 0);

    assertThrows(StorageException.KeyExists.class, () -> store.create(key("a"), bytes("two"), 0));
    assertEquals("one", text(store.get(key("a")).orElseThrow()));
  }

  @Test
  void updateWithCurrentRevisionReplacesValue() {
    KeyValue created = store.create(key("a"), bytes("one"), 0);

    KeyValue updated = store.update(key("a"), bytes("two"), created.modRevision(), 0);

    assertTrue(updated.modRevision() > created.modRevision());
    assertEquals(created.createRevision(), updated.createRevision());
    assertEquals("two", text(store.get(key("a")).orElseThrow()));
    KeyValue unconditional = store.update(key("a"), bytes("three"), 0, 0);
    assertTrue(unconditional.modRevision() > updated.modRevision());
  }

  @Test
  void updateWithStaleRevisionConflictsAndReportsCurrentValue() {
    KeyValue created = store.create(key("a"), bytes("one"), 0);
    KeyValue updated = store.update(key("a"), bytes("two"), created.modRevision(), 0);

    StorageException.Conflict conflict =
        assertThrows(
            StorageException.Conflict.class,
            () -> store.update(key("a"), bytes("three"), created.modRevision(), 0));

    assertEquals("two", text(conflict.current()));
    assertEquals(updated.modRevision(), conflict.current().modRevision());
    assertEquals("two", text(store.get(key("a")).orElseThrow()));
  }

  @Test
  void writesToMissingKeysFailWithKeyNotFound() {
    assertThrows(
        StorageException.KeyNotFound.class, () -> store.update(key("none"), bytes("x"), 0, 0));
    assertThrows(StorageException.KeyNotFound.class, () -> store.delete(key("none"), 0));
    assertEquals(Optional.empty(), store.get(key("none")));
  }

  @Test
  void deleteReturnsLastValueAndAllowsRecreate() {
    KeyValue created = store.create(key("a"), bytes("one"), 0);
    KeyValue updated = store.update(key("a"), bytes("two"), 0, 0);

    assertThrows(
        StorageException.Conflict.class, () -> store.delete(key("a"), created.modRevision()));
    KeyValue deleted = store.delete(key("a"), updated.modRevision());

    assertEquals("two", text(deleted));
    assertTrue(deleted.modRevision() > updated.modRevision());
    assertEquals(deleted.modRevision(), store.currentRevision());
    assertEquals(Optional.empty(), store.get(key("a")));
    KeyValue again = store.create(key("a"), bytes("three"), 0);
    assertEquals(again.modRevision(), again.createRevision());
    assertTrue(again.createRevision() > deleted.modRevision());
  }

  @Test
  void getAtPastRevisionSeesValueOfThatTime() {
    KeyValue one = store.create(key("a"), bytes("one"), 0);
    store.update(key("a"), bytes("two"), 0, 0);
    KeyValue deleted = store.delete(key("a"), 0);

    assertEquals("one", text(store.get(key("a"), one.modRevision()).orElseThrow()));
    assertEquals(Optional.empty(), store.get(key("a"), one.modRevision() - 1));
    assertEquals(Optional.empty(), store.get(key("a"), deleted.modRevision()));
    assertThrows(
        StorageException.FutureRevision.class,
        () -> store.get(key("a"), store.currentRevision() + 100));
  }

  @Test
  void pagedListStaysAtTheRevisionOfItsFirstPage() {
    for (int i = 0; i < 25; i++) {
      store.create(key(String.format("k%02d", i)), bytes("v" + i), 0);
    }
    store.create(prefix.substring(0, prefix.length() - 1) + "-sibling/x", bytes("other"), 0);

    RangeResult first = store.list(prefix, null, 10, 0);
    store.update(key("k15"), bytes("changed"), 0, 0);
    store.delete(key("k20"), 0);
    store.create(key("k99"), bytes("late"), 0);

    assertEquals(10, first.kvs().size());
    assertTrue(first.more());
    assertEquals(25, first.count());
    List<KeyValue> all = new ArrayList<>(first.kvs());
    RangeResult page = first;
    while (page.more()) {
      page = store.list(prefix, all.getLast().key(), 10, first.revision());
      assertEquals(first.revision(), page.revision());
      all.addAll(page.kvs());
    }
    assertEquals(25, all.size());
    for (int i = 0; i < 25; i++) {
      assertEquals(key(String.format("k%02d", i)), all.get(i).key());
      assertEquals("v" + i, text(all.get(i)));
    }
    RangeResult now = store.list(prefix, null, 0, 0);
    assertEquals(25, now.kvs().size());
    assertFalse(now.more());
    assertEquals(25, now.count());
    assertEquals("changed", text(now.kvs().get(15)));
    assertEquals(key("k99"), now.kvs().getLast().key());
  }

  @Test
  void countSeesOnlyLiveKeysUnderThePrefix() {
    store.create(key("a"), bytes("1"), 0);
    store.create(key("b"), bytes("2"), 0);
    store.create(key("c"), bytes("3"), 0);
    store.delete(key("b"), 0);
    store.create(prefix + "nested/d", bytes("4"), 0);

    assertEquals(3, store.count(prefix));
    assertEquals(1, store.count(prefix + "nested/"));
    assertEquals(0, store.count(prefix + "none/"));
  }

  @Test
  void emptyPrefixCoversEveryKey() {
    store.create(key("a"), bytes("1"), 0);

    assertTrue(store.count("") >= 1);
    List<String> keys = store.list("", null, 0, 0).kvs().stream().map(KeyValue::key).toList();
    assertTrue(keys.contains(key("a")));
  }

  @Test
  void badInputIsRefusedWithoutChangingAnything() {
    long before = store.currentRevision();
    assertThrows(IllegalArgumentException.class, () -> store.create(key("a"), null, 0));
    assertThrows(IllegalArgumentException.class, () -> store.create("", bytes("x"), 0));
    assertThrows(IllegalArgumentException.class, () -> store.create(key("a"), bytes("x"), -1));
    assertEquals(before, store.currentRevision());
    assertEquals(Optional.empty(), store.get(key("a")));
  }

  @Test
  void valuesRoundTripAsOpaqueBytes() {
    byte[] binary = new byte[256];
    for (int i = 0; i < binary.length; i++) {
      binary[i] = (byte) i;
    }
    store.create(key("bin"), binary, 0);
    store.create(key("empty"), new byte[0], 0);

    assertArrayEquals(binary, store.get(key("bin")).orElseThrow().value());
    assertArrayEquals(new byte[0], store.get(key("empty")).orElseThrow().value());
  }
}
