package dev.skiff.apiserver.endpoints;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.skiff.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Many watchers of one resource while several writers write: whether a client reads at once,
 * slowly, or not at all, and whether it watches from the start or resumes far behind, each either
 * sees every event of its namespace exactly once in revision order, or is cut off and resumes from
 * the last event it saw (as an informer's reflector does) and then sees the rest.
 */
class WatchFanOutConsistencyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int WRITERS = 4;
  private static final int KEYS_PER_WRITER = 1_100;

  private final ScheduledExecutorService network = Executors.newScheduledThreadPool(2);
  private ConfigMapWatchCache configMaps;
  private MemoryStore store;
  private WatchCache cache;
  private String prefix;

  private enum Pace {
    PROMPT,
    LAGGING,
    // Stops reading until it has been cut off, then reads again.
    HICCUP,
    STALLED
  }

  /**
   * One client: its connection completes writes at once, a little later, or never; when its watch
   * ends it watches again from the last revision it received.
   */
  private final class Client implements WatchWriter.Sink {
    final Pace pace;
    final List<String> seen = new CopyOnWriteArrayList<>();
    final List<Watcher> watches = new CopyOnWriteArrayList<>();
    final AtomicLong leaps = new AtomicLong();
    volatile long lastRevision;
    volatile Callback held;

    Client(Pace pace, long from) {
      this.pace = pace;
      this.lastRevision = from;
    }

    @Override
    public void write(ByteBuffer frames, Callback done) {
      for (String line : StandardCharsets.UTF_8.decode(frames).toString().split("\n")) {
        JsonNode e;
        try {
          e = JSON.readTree(line);
        } catch (IOException x) {
          throw new UncheckedIOException(x);
        }
        long rv = Long.parseLong(e.at("/object/metadata/resourceVersion").asText());
        seen.add(e.path("type").asText() + " " + e.at("/object/metadata/name").asText() + " " + rv);
        lastRevision = rv;
      }
      switch (pace) {
        case PROMPT -> done.succeeded();
        case LAGGING ->
            network.schedule(
                done::succeeded, ThreadLocalRandom.current().nextInt(3), TimeUnit.MILLISECONDS);
        case HICCUP -> {
          if (watches.size() == 1 && held == null) {
            held = done;
          } else {
            done.succeeded();
          }
        }
        case STALLED -> {}
      }
    }

    void watch() {
      Watcher w =
          new Watcher(
              new WatchFilter(
                  "ns", LabelSelector.everything(), FieldSelector.everything(), "", "ConfigMap"),
              // A stalling client's watcher sees a second pass at every look at its clock, so it
              // finds it stalled for long as soon as it is far behind.
              pace == Pace.STALLED || pace == Pace.HICCUP
                  ? () -> leaps.addAndGet(1_000_000_000L)
                  : System::nanoTime);
      WatchWriter writer = new WatchWriter(w, this, true, out -> out.object().frame(out.type()));
      w.onQueued(writer::iterate);
      watches.add(w);
      cache.watch(w, lastRevision);
      writer.start(-1, null);
      // As WatchHandler ends a watch; the client resumes once the stream has closed.
      w.ended()
          .thenRun(
              () -> {
                cache.stop(w);
                writer.stop();
                if (pace == Pace.HICCUP && held != null) {
                  held.succeeded();
                }
              });
      writer.finished().thenRun(this::watch);
    }
  }

  @BeforeEach
  void start() {
    configMaps = new ConfigMapWatchCache();
    store = configMaps.store();
    cache = configMaps.cache();
    prefix = configMaps.prefix();
  }

  @AfterEach
  void stop() {
    configMaps.close();
    network.shutdownNow();
  }

  private void write(int writer) {
    for (int i = 0; i < KEYS_PER_WRITER; i++) {
      // One key in five is in another namespace, which no watcher here may see.
      String ns = i % 5 == 4 ? "other" : "ns";
      String name = "cm-" + writer + "-" + i;
      String key = prefix + ns + "/" + name;
      store.create(key, body(ns, name, "1"), 0);
      store.update(key, body(ns, name, "2"), 0, 0);
      if (i % 2 == 0) {
        store.delete(key, 0);
      }
    }
  }

  private static byte[] body(String ns, String name, String v) {
    return ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\""
            + name
            + "\",\"namespace\":\""
            + ns
            + "\"},\"data\":{\"v\":\""
            + v
            + "\"}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** Every event of namespace ns after {@code from}, as a watch presents them. */
  private List<String> history(long from) {
    long last = store.currentRevision();
    List<String> events = new CopyOnWriteArrayList<>();
    AtomicLong reached = new AtomicLong();
    try (Store.Watch _ =
        store.watch(
            prefix,
            from,
            e -> {
              String key = e.kv().key();
              if (key.startsWith(prefix + "ns/")) {
                String type =
                    switch (e.type()) {
                      case CREATE -> "ADDED";
                      case UPDATE -> "MODIFIED";
                      case DELETE -> "DELETED";
                    };
                events.add(
                    type + " " + key.substring(key.lastIndexOf('/') + 1) + " " + e.revision());
              }
              reached.set(e.revision());
            })) {
      await().atMost(Duration.ofSeconds(30)).until(() -> reached.get() == last);
    }
    return List.copyOf(events);
  }

  @Test
  void everyWatcherSeesEveryEventOnceInOrderOrResumesAfterItsCutOff() throws Exception {
    long start = cache.revision();
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      clients.add(new Client(i % 2 == 0 ? Pace.PROMPT : Pace.LAGGING, start));
    }
    Client hiccup = new Client(Pace.HICCUP, start);
    clients.add(hiccup);
    Client stalled = new Client(Pace.STALLED, start);
    clients.forEach(Client::watch);
    stalled.watch();

    ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
    List<Client> late = new ArrayList<>();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        done.add(pool.submit(() -> write(writer)));
      }
      // Two more clients join midway, resuming from the start: thousands of events behind.
      await().atMost(Duration.ofSeconds(60)).until(() -> cache.revision() > start + 5_000);
      for (int i = 0; i < 2; i++) {
        Client c = new Client(i == 0 ? Pace.PROMPT : Pace.LAGGING, start);
        c.watch();
        late.add(c);
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    clients.addAll(late);

    List<String> expected = history(start);
    assertTrue(expected.size() > 4_096 + 100, "enough events to cut off a stalled client");
    String last = expected.getLast();
    for (Client c : clients) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !c.seen.isEmpty() && c.seen.getLast().equals(last));
      assertEquals(expected, c.seen, c.pace + " client after " + c.watches.size() + " watches");
    }
    assertTrue(hiccup.watches.getFirst().overflowed());
    assertTrue(hiccup.watches.size() > 1);
    // The stalled client got its first write and was then cut off rather than queueing for ever.
    Watcher cut = stalled.watches.getFirst();
    assertTrue(cut.overflowed());
    assertEquals(expected.subList(0, stalled.seen.size()), stalled.seen);
  }
}
