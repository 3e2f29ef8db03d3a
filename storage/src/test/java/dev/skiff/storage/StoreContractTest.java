package dev.skiff.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} backend must show. A backend's test extends this class and says
 * how to open its store; the same tests then run unchanged against it.
 */
public abstract class StoreContractTest {
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

  private String key(String name) {
    return prefix + name;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(KeyValue kv) {
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
  void watchFromPastRevisionReplaysWithPreviousValuesThenFollowsLive() {
    long start = store.currentRevision();
    KeyValue created = store.create(key("a"), bytes("one"), 0);
    KeyValue updated = store.update(key("a"), bytes("two"), 0, 0);
    KeyValue deleted = store.delete(key("a"), 0);
    store.create(prefix.substring(0, prefix.length() - 1) + "-elsewhere", bytes("x"), 0);

    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    try (Store.Watch _ = store.watch(prefix, start, events::add)) {
      KeyValue live = store.create(key("b"), bytes("live"), 0);
      await().atMost(Duration.ofSeconds(20)).until(() -> events.size() >= 4);

      assertEquals(4, events.size());
      WatchEvent create = events.get(0);
      assertEquals(WatchEvent.Type.CREATE, create.type());
      assertEquals(created.modRevision(), create.revision());
      assertEquals("one", text(create.kv()));
      assertNull(create.prev());
      WatchEvent update = events.get(1);
      assertEquals(WatchEvent.Type.UPDATE, update.type());
      assertEquals(updated.modRevision(), update.revision());
      assertEquals("two", text(update.kv()));
      assertEquals("one", text(update.prev()));
      assertEquals(created.modRevision(), update.prev().modRevision());
      WatchEvent delete = events.get(2);
      assertEquals(WatchEvent.Type.DELETE, delete.type());
      assertEquals(deleted.modRevision(), delete.revision());
      assertEquals(key("a"), delete.kv().key());
      assertEquals("two", text(delete.prev()));
      assertEquals(live.modRevision(), events.get(3).revision());
    }
  }

  @Test
  void watchSeesEveryWriteOfConcurrentWritersInOrderWithoutGaps() throws Exception {
    store.create(key("seed"), bytes("0"), 0);
    long start = store.currentRevision();
    List<Long> seen = new CopyOnWriteArrayList<>();
    ConcurrentLinkedQueue<Long> written = new ConcurrentLinkedQueue<>();
    try (Store.Watch _ = store.watch(prefix, start, e -> seen.add(e.revision()))) {
      ExecutorService writers = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
          int writer = w;
          done.add(
              writers.submit(
                  () -> {
                    for (int i = 0; i < 100; i++) {
                      String k = key("w" + writer + "-" + i);
                      written.add(store.create(k, bytes("v"), 0).modRevision());
                      written.add(store.update(k, bytes("v2"), 0, 0).modRevision());
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
      } finally {
        writers.shutdown();
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> seen.size() >= written.size());
      assertEquals(written.stream().sorted().toList(), List.copyOf(seen));
    }
  }

  @Test
  void closedWatchReceivesNothingMore() {
    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    Store.Watch watch = store.watch(prefix, store.currentRevision(), events::add);
    store.create(key("a"), bytes("1"), 0);
    await().atMost(Duration.ofSeconds(20)).until(() -> events.size() == 1);

    watch.close();
    store.create(key("b"), bytes("2"), 0);
    KeyValue marker = store.create(key("c"), bytes("3"), 0);
    List<WatchEvent> other = new CopyOnWriteArrayList<>();
    try (Store.Watch _ = store.watch(prefix, marker.modRevision() - 1, other::add)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> other.size() == 1);
    }
    assertEquals(1, events.size());
  }

  @Test
  void closingTheStoreEndsItsWatchesWithAnError() {
    List<StorageException> errors = new CopyOnWriteArrayList<>();
    store.watch(
        prefix,
        store.currentRevision(),
        new Store.WatchListener() {
          @Override
          public void onEvent(WatchEvent event) {}

          @Override
          public void onError(StorageException error) {
            errors.add(error);
          }
        });

    store.close();

    await().atMost(Duration.ofSeconds(20)).until(() -> errors.size() == 1);
    store = openStore();
  }

  @Test
  void compactedHistoryFailsWithCompacted() {
    KeyValue one = store.create(key("a"), bytes("one"), 0);
    store.update(key("a"), bytes("two"), 0, 0);
    KeyValue three = store.update(key("a"), bytes("three"), 0, 0);

    store.compact(three.modRevision());

    assertTrue(store.compactedRevision() >= three.modRevision());
    StorageException.Compacted compacted =
        assertThrows(
            StorageException.Compacted.class, () -> store.get(key("a"), one.modRevision()));
    assertEquals(store.compactedRevision(), compacted.compactRevision());
    assertThrows(
        StorageException.Compacted.class, () -> store.list(prefix, null, 0, one.modRevision()));
    assertThrows(
        StorageException.Compacted.class, () -> store.watch(prefix, one.modRevision(), e -> {}));
    assertThrows(StorageException.Compacted.class, () -> store.watch(prefix, 0, e -> {}));
    assertEquals("three", text(store.get(key("a"), three.modRevision()).orElseThrow()));
    assertEquals("three", text(store.get(key("a")).orElseThrow()));
    assertEquals(1, store.list(prefix, null, 0, three.modRevision()).kvs().size());
  }

  @Test
  void compactionKeepsEveryReadAtOrAfterItsRevision() {
    Random random = new Random(7);
    Map<String, String> live = new TreeMap<>();
    TreeMap<Long, Map<String, String>> history = new TreeMap<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 60; i++) {
        String k = key("k" + random.nextInt(6));
        String v = "r" + round + "-" + i;
        KeyValue written;
        if (!live.containsKey(k)) {
          written = store.create(k, bytes(v), 0);
          live.put(k, v);
        } else if (random.nextInt(4) == 0) {
          written = store.delete(k, 0);
          live.remove(k);
        } else {
          written = store.update(k, bytes(v), 0, 0);
          live.put(k, v);
        }
        history.put(written.modRevision(), new TreeMap<>(live));
      }
      long compactTo = new ArrayList<>(history.keySet()).get(history.size() / 2 + round * 10);
      store.compact(compactTo);

      for (Map.Entry<Long, Map<String, String>> state : history.tailMap(compactTo).entrySet()) {
        Map<String, String> listed = new TreeMap<>();
        for (KeyValue kv : store.list(prefix, null, 0, state.getKey()).kvs()) {
          listed.put(kv.key(), text(kv));
        }
        assertEquals(state.getValue(), listed, "list at revision " + state.getKey());
        for (int k = 0; k < 6; k++) {
          Optional<KeyValue> got = store.get(key("k" + k), state.getKey());
          assertEquals(
              Optional.ofNullable(state.getValue().get(key("k" + k))),
              got.map(StoreContractTest::text),
              "get k" + k + " at revision " + state.getKey());
        }
      }
    }
  }

  @Test
  void expiredKeyIsDeletedAndWatchersSeeTheDelete() {
    List<WatchEvent> events = new CopyOnWriteArrayList<>();
    try (Store.Watch _ = store.watch(prefix, store.currentRevision(), events::add)) {
      KeyValue created = store.create(key("event"), bytes("short-lived"), 1);
      store.create(key("stays"), bytes("forever"), 0);

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> events.stream().anyMatch(e -> e.type() == WatchEvent.Type.DELETE));

      WatchEvent delete =
          events.stream().filter(e -> e.type() == WatchEvent.Type.DELETE).findFirst().get();
      assertEquals(key("event"), delete.kv().key());
      assertEquals("short-lived", text(delete.prev()));
      assertTrue(delete.revision() > created.modRevision());
      assertEquals(Optional.empty(), store.get(key("event")));
      assertEquals("forever", text(store.get(key("stays")).orElseThrow()));
    }
  }

  @Test
  void revisionsKeepIncreasingAcrossReopen() {
    store.create(key("a"), bytes("1"), 0);
    KeyValue deleted = store.delete(key("a"), 0);
    store.compact(deleted.modRevision());

    reopen();

    assertTrue(store.currentRevision() >= deleted.modRevision());
    KeyValue next = store.create(key("b"), bytes("2"), 0);
    assertTrue(next.modRevision() > deleted.modRevision());
    assertEquals(Optional.empty(), store.get(key("a")));
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
