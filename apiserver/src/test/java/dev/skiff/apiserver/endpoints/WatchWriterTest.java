package dev.skiff.apiserver.endpoints;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.api.selection.FieldSelector;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.testing.ConfigMapWatchCache;
import dev.skiff.apiserver.testing.MemoryStore;
import dev.skiff.apiserver.watch.WatchCache;
import dev.skiff.apiserver.watch.WatchFilter;
import dev.skiff.apiserver.watch.Watcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The fan-out from the watch cache to clients' connections: the in-memory store delivers each write
 * to the cache before returning, so what every connection was handed is known right after.
 */
class WatchWriterTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ConfigMapWatchCache configMaps;
  private MemoryStore store;
  private WatchCache cache;
  private String prefix;

  /** A client connection: records each write; completes it at once unless told to hold it. */
  private static final class Connection implements WatchWriter.Sink {
    // Written by the store's delivery thread, read by the test.
    final List<String> writes = new CopyOnWriteArrayList<>();
    final List<Callback> held = new CopyOnWriteArrayList<>();
    volatile boolean hold;

    @Override
    public void write(ByteBuffer frames, Callback done) {
      writes.add(StandardCharsets.UTF_8.decode(frames).toString());
      if (hold) {
        held.add(done);
      } else {
        done.succeeded();
      }
    }

    /** The object names of every event written, in order. */
    List<String> names() {
      List<String> names = new ArrayList<>();
      for (String write : writes) {
        for (String line : write.split("\n")) {
          try {
            JsonNode e = JSON.readTree(line);
            names.add(e.path("type").asText() + " " + e.at("/object/metadata/name").asText());
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      }
      return names;
    }
  }

  @BeforeEach
  void start() {
    configMaps = new ConfigMapWatchCache();
    store = configMaps.store();
    cache = configMaps.cache();
    prefix = configMaps.prefix() + "ns/";
  }

  @AfterEach
  void stop() {
    configMaps.close();
  }

  private Watcher watch(Connection c, boolean batches) {
    return watch(c, batches, System::nanoTime);
  }

  private Watcher watch(Connection c, boolean batches, LongSupplier nanoClock) {
    Watcher w =
        new Watcher(
            new WatchFilter(
                "ns", LabelSelector.everything(), FieldSelector.everything(), "", "ConfigMap"),
            nanoClock);
    WatchWriter writer = new WatchWriter(w, c, batches, out -> out.object().frame(out.type()));
    w.onQueued(writer::iterate);
    cache.watch(w, cache.revision());
    writer.start(-1, null);
    return w;
  }

  private void create(String name) {
    String body =
        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\"ns\"}}";
    store.create(prefix + name, body.getBytes(StandardCharsets.UTF_8), 0);
  }

  /** Waits until the cache has queued the event of {@code name} for every watcher. */
  private void awaitQueued(String name) {
    await().atMost(Duration.ofSeconds(30)).until(() -> cache.get(prefix + name).isPresent());
  }

  private static List<String> added(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "ADDED c-" + i).toList();
  }

  @Test
  void aStalledClientHoldsUpNoOneElseAndIsCutOffOnceFarBehindForLong() {
    Connection stalled = new Connection();
    stalled.hold = true;
    Connection prompt = new Connection();
    AtomicLong stalledClock = new AtomicLong();
    Watcher slow = watch(stalled, true, stalledClock::get);
    Watcher fast = watch(prompt, true);
    // The stalled writer's one write may take however many events were queued when it began;
    // twice the backlog limit and more guarantees the rest overflow it either way.
    int events = 10_000;
    for (int i = 0; i < events; i++) {
      create("c-" + i);
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> prompt.names().size() == events);
    assertEquals(added(0, events), prompt.names());
    assertFalse(fast.terminated());
    // Far behind, but not for long: the fan-out may trail a burst as much, through no fault of
    // the client's.
    assertFalse(slow.ended().isDone());

    stalledClock.addAndGet(Duration.ofSeconds(6).toNanos());
    create("c-" + events);
    await().atMost(Duration.ofSeconds(30)).until(() -> slow.ended().isDone());
    assertTrue(slow.overflowed());
    // One write in flight, never completed: the rest queued until the watch was cut off.
    assertEquals(1, stalled.writes.size());
  }

  @Test
  void eventsQueuedBehindAPendingWriteGoOutTogetherInOrder() {
    Connection c = new Connection();
    c.hold = true;
    watch(c, true);
    create("c-0");
    await().atMost(Duration.ofSeconds(30)).until(() -> c.writes.size() == 1);
    create("c-1");
    create("c-2");
    create("c-3");
    awaitQueued("c-3");
    assertEquals(1, c.writes.size());
    c.hold = false;
    c.held.removeFirst().succeeded();
    await().atMost(Duration.ofSeconds(30)).until(() -> c.writes.size() == 2);
    assertEquals(added(0, 4), c.names());
  }

  @Test
  void webSocketWatchesSendOneEventPerMessage() {
    Connection c = new Connection();
    c.hold = true;
    watch(c, false);
    create("c-0");
    await().atMost(Duration.ofSeconds(30)).until(() -> c.writes.size() == 1);
    create("c-1");
    create("c-2");
    awaitQueued("c-2");
    assertEquals(1, c.writes.size());
    c.hold = false;
    c.held.removeFirst().succeeded();
    await().atMost(Duration.ofSeconds(30)).until(() -> c.writes.size() == 3);
    assertEquals(added(0, 3), c.names());
  }
}
