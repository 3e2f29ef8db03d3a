package dev.skiff.storage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link Store} backend must show. A backend's test extends this class and says
 * how to open its store; the same tests then run unchanged against it. This half covers history:
 * watches, compaction, expiry and reopening; {@link StoreContractBase} covers the rest.
 */
public abstract class StoreContractTest extends StoreContractBase {

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
  void aReadAfterAWatchEventReflectsAtLeastThatEvent() throws Exception {
    // Upstream's guarantee: a client that saw an event and then reads sees that write or a later
    // one. Every key is written once and deleted once, so after its DELETE it is gone for good.
    List<String> stale = new CopyOnWriteArrayList<>();
    AtomicInteger deletesChecked = new AtomicInteger();
    Store.WatchListener reader =
        e -> {
          if (store.currentRevision() < e.revision()) {
            stale.add("current revision below event " + e.revision());
          }
          if (e.type() == WatchEvent.Type.DELETE) {
            store
                .get(e.kv().key())
                .ifPresent(kv -> stale.add(e.kv().key() + " read back after its delete"));
            deletesChecked.incrementAndGet();
          }
        };
    int writers = 8;
    int keysEach = 60;
    // Several watches: each is one more step for the writer between a commit and its last event.
    List<Store.Watch> watches = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      for (int i = 0; i < 4; i++) {
        watches.add(store.watch(prefix, store.currentRevision(), reader));
      }
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < keysEach; i++) {
                    String k = key("w" + writer + "-" + i);
                    store.create(k, bytes("v"), 0);
                    store.delete(k, 0);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> deletesChecked.get() == watches.size() * writers * keysEach);
    } finally {
      pool.shutdown();
      watches.forEach(Store.Watch::close);
    }
    assertEquals(List.of(), stale.stream().limit(5).toList());
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
}
