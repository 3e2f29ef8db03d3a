package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Load harness for the API server: {@code ./skiff bench apiserver [--seconds N] [--watchers N]}. 16
 * clients on loopback against an API server over the embedded SQLite store: raw store writes/s for
 * reference, API creates/s, gets/s and lists/s with p50/p99, and the delivery latency of watch
 * events to 1,000 concurrent watchers, counting any event a watcher missed.
 */
public final class ApiServerBenchmark {
  private static final int CLIENTS = 16;
  private static final int LISTED_OBJECTS = 100;
  private static final int WATCHED_EVENTS = 200;

  private final Duration phase;
  private final int watchers;
  private final List<String[]> rows = new ArrayList<>();
  private String base;
  private int port;
  private final List<HttpClient> clients = new ArrayList<>();

  private ApiServerBenchmark(Duration phase, int watchers) {
    this.phase = phase;
    this.watchers = watchers;
  }

  public static void main(String[] args) throws Exception {
    int seconds = 5;
    int watchers = 1000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--watchers" -> watchers = Integer.parseInt(args[++i]);
        default -> {
          System.err.println("usage: ApiServerBenchmark [--seconds N] [--watchers N]");
          System.exit(2);
        }
      }
    }
    System.out.printf(
        "apiserver benchmark, %s, %d cores, %d clients, %d s per phase%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), CLIENTS, seconds);
    new ApiServerBenchmark(Duration.ofSeconds(seconds), watchers).run();
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("skiff-apiserver-bench");
    try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
      rawStoreWrites(store);
      try (ApiServer server =
          new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry())) {
        server.start();
        port = server.port();
        base = "http://127.0.0.1:" + port;
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }
        for (String ns : List.of("bench", "bench-list", "bench-watch")) {
          send(
              clients.getFirst(),
              "POST",
              "/api/v1/namespaces",
              "{\"metadata\":{\"name\":\"" + ns + "\"}}");
        }
        AtomicLong created = creates();
        gets(created);
        lists();
        watches();
        clients.forEach(HttpClient::shutdownNow);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.printf("%-34s %14s %10s %10s%n", "measure", "rate", "p50", "p99");
    for (String[] r : rows) {
      System.out.printf("%-34s %14s %10s %10s%n", (Object[]) r);
    }
  }

  private void rawStoreWrites(Store store) throws InterruptedException {
    byte[] value = new byte[300];
    Phase p =
        phase(
            (client, i) -> {
              long t = System.nanoTime();
              store.create("/bench-raw/" + client + "/" + i, value, 0);
              return System.nanoTime() - t;
            });
    rows.add(p.row("store writes (raw, 16 writers)", "writes/s"));
  }

  private AtomicLong creates() throws InterruptedException {
    AtomicLong[] perClient = new AtomicLong[CLIENTS];
    Arrays.setAll(perClient, i -> new AtomicLong());
    Phase p =
        phase(
            (client, i) -> {
              String body =
                  "{\"metadata\":{\"name\":\"c-"
                      + client
                      + "-"
                      + i
                      + "\",\"labels\":{\"app\":\"bench\"}},"
                      + "\"data\":{\"key\":\"value-"
                      + i
                      + "\"}}";
              long t = System.nanoTime();
              send(clients.get(client), "POST", "/api/v1/namespaces/bench/configmaps", body);
              perClient[client].incrementAndGet();
              return System.nanoTime() - t;
            });
    rows.add(p.row("API creates (ConfigMap)", "creates/s"));
    AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    for (AtomicLong c : perClient) {
      min.set(Math.min(min.get(), c.get()));
    }
    return min;
  }

  private void gets(AtomicLong createdPerClient) throws InterruptedException {
    long n = Math.max(1, createdPerClient.get());
    Phase p =
        phase(
            (client, i) -> {
              long pick = ThreadLocalRandom.current().nextLong(n);
              long t = System.nanoTime();
              send(
                  clients.get(client),
                  "GET",
                  "/api/v1/namespaces/bench/configmaps/c-" + client + "-" + pick,
                  null);
              return System.nanoTime() - t;
            });
    rows.add(p.row("API gets (one ConfigMap)", "gets/s"));
  }

  private void lists() throws Exception {
    for (int i = 0; i < LISTED_OBJECTS; i++) {
      send(
          clients.getFirst(),
          "POST",
          "/api/v1/namespaces/bench-list/configmaps",
          "{\"metadata\":{\"name\":\"l-" + i + "\"}}");
    }
    Phase p =
        phase(
            (client, i) -> {
              long t = System.nanoTime();
              send(clients.get(client), "GET", "/api/v1/namespaces/bench-list/configmaps", null);
              return System.nanoTime() - t;
            });
    rows.add(p.row("API lists (" + LISTED_OBJECTS + " ConfigMaps)", "lists/s"));
  }

  private void watches() throws Exception {
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    long[] latencies = new long[watchers * WATCHED_EVENTS];
    AtomicLong received = new AtomicLong();
    CountDownLatch ready = new CountDownLatch(watchers);
    CountDownLatch done = new CountDownLatch(watchers);
    List<ChunkedWatchStream> streams = new ArrayList<>();
    ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    for (int w = 0; w < watchers; w++) {
      ChunkedWatchStream stream =
          new ChunkedWatchStream(
              port, "/api/v1/namespaces/bench-watch/configmaps?watch=1&resourceVersion=0");
      streams.add(stream);
      readers.execute(
          () -> {
            ready.countDown();
            int seen = 0;
            try {
              String line;
              while (seen < WATCHED_EVENTS && (line = stream.line()) != null) {
                long now = System.nanoTime();
                int at = line.indexOf("\"name\":\"e-");
                if (at < 0) {
                  continue;
                }
                String name = line.substring(at + 8, line.indexOf('"', at + 8));
                Long t = sentAt.get(name);
                if (t != null) {
                  latencies[(int) received.getAndIncrement()] = now - t;
                  seen++;
                }
              }
            } catch (Exception e) {
              // Stream closed at the end of the benchmark.
            }
            done.countDown();
          });
    }
    ready.await();
    Thread.sleep(500);
    long start = System.nanoTime();
    for (int i = 0; i < WATCHED_EVENTS; i++) {
      String name = "e-" + i;
      sentAt.put(name, System.nanoTime());
      send(
          clients.getFirst(),
          "POST",
          "/api/v1/namespaces/bench-watch/configmaps",
          "{\"metadata\":{\"name\":\"" + name + "\"}}");
      Thread.sleep(10);
    }
    boolean all = done.await(60, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - start) / 1e9;
    long got = received.get();
    long[] l = Arrays.copyOf(latencies, (int) got);
    Arrays.sort(l);
    rows.add(
        new String[] {
          "watch delivery (" + watchers + " watchers)",
          String.format("%.0f events/s", got / secs),
          ms(percentile(l, 50)),
          ms(percentile(l, 99))
        });
    long expected = (long) watchers * WATCHED_EVENTS;
    rows.add(
        new String[] {
          "watch events lost",
          (expected - got) + " of " + expected + (all ? "" : " (timed out)"),
          "",
          ""
        });
    for (ChunkedWatchStream s : streams) {
      try {
        s.close();
      } catch (Exception e) {
        // Already closed by the server or the reader.
      }
    }
    readers.shutdownNow();
  }

  @FunctionalInterface
  private interface Op {
    long run(int client, long i) throws Exception;
  }

  private record Phase(long count, double seconds, long[] latencies) {
    String[] row(String name, String unit) {
      return new String[] {
        name,
        String.format("%.0f %s", count / seconds, unit),
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 99))
      };
    }
  }

  /** Runs {@code op} from 16 clients for one phase; returns its count and sorted latencies. */
  private Phase phase(Op op) throws InterruptedException {
    List<List<Long>> lat = new ArrayList<>();
    long deadline = System.nanoTime() + phase.toNanos();
    Thread[] threads = new Thread[CLIENTS];
    long start = System.nanoTime();
    for (int c = 0; c < CLIENTS; c++) {
      List<Long> mine = new ArrayList<>();
      lat.add(mine);
      int client = c;
      threads[c] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                      try {
                        mine.add(op.run(client, i));
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  });
    }
    for (Thread t : threads) {
      t.join();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    long[] all = lat.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
    return new Phase(all.length, secs, all);
  }

  private void send(HttpClient http, String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + r.statusCode() + " " + new String(r.body(), UTF_8));
    }
  }

  private static long percentile(long[] sorted, int p) {
    if (sorted.length == 0) {
      return 0;
    }
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p / 100.0) - 1)];
  }

  private static String ms(long nanos) {
    return String.format("%.2f ms", nanos / 1e6);
  }

  /**
   * A watch over a plain HTTP/1.1 socket, read as lines of the chunked body: the harness opens a
   * thousand of these, more than a pooled HTTP client handles comfortably.
   */
  private static final class ChunkedWatchStream implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private int chunkLeft;

    ChunkedWatchStream(int port, String path) throws IOException {
      socket = new Socket("127.0.0.1", port);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n")
              .getBytes(US_ASCII));
      out.flush();
      in = new BufferedInputStream(socket.getInputStream());
      String status = rawLine();
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IOException("watch failed: " + status);
      }
      while (!rawLine().isEmpty()) {
        // Headers; the body is chunked.
      }
    }

    /** The next line of the body, or null at its end. */
    String line() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b = bodyByte();
        if (b < 0) {
          return line.size() == 0 ? null : line.toString(UTF_8);
        }
        if (b == '\n') {
          return line.toString(UTF_8);
        }
        line.write(b);
      }
    }

    private int bodyByte() throws IOException {
      while (chunkLeft == 0) {
        String size = rawLine();
        if (size == null) {
          return -1;
        }
        if (size.isEmpty()) {
          continue;
        }
        chunkLeft = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (chunkLeft == 0) {
          return -1;
        }
      }
      chunkLeft--;
      return in.read();
    }

    private String rawLine() throws IOException {
      StringBuilder sb = new StringBuilder();
      int b;
      while ((b = in.read()) >= 0 && b != '\n') {
        if (b != '\r') {
          sb.append((char) b);
        }
      }
      return b < 0 && sb.isEmpty() ? null : sb.toString();
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
