package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.skiff.api.registry.BuiltinRegistry;
import dev.skiff.apiserver.ApiServer;
import dev.skiff.apiserver.ApiServerConfig;
import dev.skiff.storage.Store;
import dev.skiff.storage.sqlite.SqliteStore;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Load harness for the API server: {@code ./skiff bench apiserver [--seconds N] [--watchers N]}. 16
 * clients on loopback against an API server over the embedded SQLite store: raw store writes/s for
 * reference, API creates/s, gets/s and lists/s with p50/p99, and the delivery latency of watch
 * events to 1,000 concurrent watchers, counting any event a watcher missed.
 *
 * <p>The clients share the machine's cores with the server, so they are lean on purpose: a
 * keep-alive HTTP/1.1 connection per client over a plain socket ({@link ApiServerBenchmarkHttp})
 * and one selector thread reading every watch stream. The server still does its full work for every
 * request (routing, decoding, validation, admission, managed fields, storage, encoding). An
 * unmeasured warm-up of every request kind runs first, 20 s by default: on two cores the JIT
 * compiler is still busy well past 10 s, and its threads' CPU would count against the early phases.
 * The raw store writes are measured after it too, so that both sides of the create ratio run
 * compiled. Each measured phase, raw writes included, also begins with a 2 s lead-in of its own
 * operation that is not counted: a switch of request mix sends the JIT through another round of
 * uncommon traps and recompiles. The last column is the process's CPU time per operation (per
 * delivered event for watches): on a shared machine rates move with other load, CPU per operation
 * much less.
 */
public final class ApiServerBenchmark {
  private static final int CLIENTS = 16;
  private static final int LISTED_OBJECTS = 100;
  private static final int WATCHED_EVENTS = 200;
  private static final Duration LEAD_IN = Duration.ofSeconds(2);

  private final Duration phase;
  private final Duration warmUp;
  private final int watchers;
  private final List<String[]> rows = new ArrayList<>();
  private int port;
  private final List<ApiServerBenchmarkHttp> clients = new ArrayList<>();

  private ApiServerBenchmark(Duration phase, Duration warmUp, int watchers) {
    this.phase = phase;
    this.warmUp = warmUp;
    this.watchers = watchers;
  }

  public static void main(String[] args) throws Exception {
    int seconds = 5;
    int watchers = 1000;
    int warmUp = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--watchers" -> watchers = Integer.parseInt(args[++i]);
        case "--warm-up" -> warmUp = Integer.parseInt(args[++i]);
        default -> {
          System.err.println(
              "usage: ApiServerBenchmark [--seconds N] [--warm-up SECONDS] [--watchers N]");
          System.exit(2);
        }
      }
    }
    System.out.printf(
        "apiserver benchmark, %s, %d cores, %d clients, %d s per phase%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), CLIENTS, seconds);
    new ApiServerBenchmark(Duration.ofSeconds(seconds), Duration.ofSeconds(warmUp), watchers).run();
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("skiff-apiserver-bench");
    try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
      try (ApiServer server =
          new ApiServer(ApiServerConfig.plainHttp(0), store, new BuiltinRegistry())) {
        server.start();
        port = server.port();
        for (int i = 0; i < CLIENTS; i++) {
          clients.add(new ApiServerBenchmarkHttp(port));
        }
        for (String ns : List.of("bench", "bench-list", "bench-watch")) {
          send(
              clients.getFirst(),
              "POST",
              "/api/v1/namespaces",
              "{\"metadata\":{\"name\":\"" + ns + "\"}}");
        }
        warmUp();
        rawStoreWrites(store);
        AtomicLong created = creates();
        gets(created);
        lists();
        watches();
        for (ApiServerBenchmarkHttp c : clients) {
          c.close();
        }
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    System.out.printf("%-34s %14s %10s %10s %10s%n", "measure", "rate", "p50", "p99", "cpu/op");
    for (String[] r : rows) {
      System.out.printf("%-34s %14s %10s %10s %10s%n", (Object[]) r);
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

  /**
   * Creates (of the measured shape: a JIT compiled for other bodies traps and recompiles), gets and
   * lists, unmeasured, in the namespace the creates go to: the first create in a namespace the
   * warm-up never touched decodes its cached Namespace, a branch the compiled code had pruned.
   */
  private void warmUp() throws InterruptedException {
    if (warmUp.isZero()) {
      return;
    }
    String path = "/api/v1/namespaces/bench/configmaps";
    phase(
        Duration.ZERO,
        warmUp,
        (client, i) -> {
          String name = "w-" + client + "-" + i;
          send(clients.get(client), "POST", path, configMap(name, i));
          send(clients.get(client), "GET", path + "/" + name, null);
          if (i % 10 == 0) {
            send(clients.get(client), "GET", path + "?limit=100", null);
          }
          return 0;
        });
  }

  /** The ConfigMap the create phase (and the warm-up) posts. */
  private static String configMap(String name, long i) {
    return "{\"metadata\":{\"name\":\""
        + name
        + "\",\"labels\":{\"app\":\"bench\"}},\"data\":{\"key\":\"value-"
        + i
        + "\"}}";
  }

  private AtomicLong creates() throws InterruptedException {
    AtomicLong[] perClient = new AtomicLong[CLIENTS];
    Arrays.setAll(perClient, i -> new AtomicLong());
    Phase p =
        phase(
            (client, i) -> {
              String body = configMap("c-" + client + "-" + i, i);
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
    ApiServerBenchmarkWatch watch =
        new ApiServerBenchmarkWatch(
            port,
            "/api/v1/namespaces/bench-watch/configmaps?watch=1&resourceVersion=0",
            watchers,
            WATCHED_EVENTS,
            "e-",
            (name, readAt) -> {
              Long t = sentAt.get(name);
              if (t == null) {
                return false;
              }
              latencies[(int) received.getAndIncrement()] = readAt - t;
              return true;
            });
    watch.awaitStarted(60, TimeUnit.SECONDS);
    long cpuStart = processCpuNanos();
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
    boolean all = watch.awaitEnded(60, TimeUnit.SECONDS);
    double secs = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpuStart;
    long got = received.get();
    long[] l = Arrays.copyOf(latencies, (int) got);
    Arrays.sort(l);
    rows.add(
        new String[] {
          "watch delivery (" + watchers + " watchers)",
          String.format("%.0f events/s", got / secs),
          ms(percentile(l, 50)),
          ms(percentile(l, 99)),
          String.format("%.1f us", got == 0 ? 0 : cpu / 1e3 / got)
        });
    long expected = (long) watchers * WATCHED_EVENTS;
    rows.add(
        new String[] {
          "watch events lost",
          (expected - got) + " of " + expected + (all ? "" : " (timed out)"),
          "",
          "",
          ""
        });
    watch.close();
  }

  @FunctionalInterface
  private interface Op {
    long run(int client, long i) throws Exception;
  }

  private record Phase(long count, double seconds, long[] latencies, long cpuNanos) {
    String[] row(String name, String unit) {
      return new String[] {
        name,
        String.format("%.0f %s", count / seconds, unit),
        ms(percentile(latencies, 50)),
        ms(percentile(latencies, 99)),
        String.format("%.0f us", count == 0 ? 0 : cpuNanos / 1e3 / count)
      };
    }
  }

  /**
   * Runs {@code op} from 16 clients for one phase after a lead-in of the same operation, and
   * returns the count, sorted latencies and CPU time of the operations that began after the
   * lead-in. Each phase switches the server to another request mix; the JIT recompiles for it
   * (uncommon traps, new inlining) during the first second or so, and that is not the rate the
   * phase measures.
   */
  private Phase phase(Op op) throws InterruptedException {
    return phase(LEAD_IN, phase, op);
  }

  private Phase phase(Duration leadIn, Duration length, Op op) throws InterruptedException {
    List<List<Long>> lat = new ArrayList<>();
    long measuredFrom = System.nanoTime() + leadIn.toNanos();
    long deadline = measuredFrom + length.toNanos();
    Thread[] threads = new Thread[CLIENTS];
    for (int c = 0; c < CLIENTS; c++) {
      List<Long> mine = new ArrayList<>();
      lat.add(mine);
      int client = c;
      threads[c] =
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long i = 0; ; i++) {
                      long begun = System.nanoTime();
                      if (begun >= deadline) {
                        return;
                      }
                      try {
                        long latency = op.run(client, i);
                        if (begun >= measuredFrom) {
                          mine.add(latency);
                        }
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  });
    }
    long wait = measuredFrom - System.nanoTime();
    if (wait > 0) {
      Thread.sleep(Duration.ofNanos(wait));
    }
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    for (Thread t : threads) {
      t.join();
    }
    double secs = (System.nanoTime() - start) / 1e9;
    long cpu = processCpuNanos() - cpuStart;
    long[] all = lat.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
    return new Phase(all.length, secs, all, cpu);
  }

  /** CPU time this JVM (server and clients) has used: unlike rates, not skewed by other load. */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static void send(ApiServerBenchmarkHttp http, String method, String path, String body)
      throws Exception {
    ApiServerBenchmarkHttp.Response r =
        http.send(method, path, body == null ? null : body.getBytes(UTF_8));
    if (r.status() >= 300) {
      throw new IllegalStateException(
          method + " " + path + " -> " + r.status() + " " + new String(r.body(), UTF_8));
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
}
