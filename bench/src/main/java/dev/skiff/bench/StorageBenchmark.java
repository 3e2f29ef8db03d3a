package dev.skiff.bench;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.skiff.storage.Store;
import dev.skiff.storage.etcd.EtcdConfig;
import dev.skiff.storage.etcd.EtcdStore;
import dev.skiff.storage.etcd.LocalEtcd;
import dev.skiff.storage.sqlite.SqliteOptions;
import dev.skiff.storage.sqlite.SqliteStore;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Load harness for the stores: {@code ./skiff bench storage [--seconds N] [--backend
 * sqlite|etcd|all]}. Prints writes/s and reads/s with 1 and 16 clients, watch fan-out and the time
 * to compact 100k revisions.
 */
public final class StorageBenchmark {
  private static final byte[] VALUE = new byte[256];
  private static final int KEYS_FOR_READS = 1000;
  private static final int WATCHERS = 100;
  private static final int WATCHED_WRITES = 2000;
  private static final int COMPACTION_REVISIONS = 100_000;

  /** Short rotating slices, so that load from elsewhere on the machine weighs on all alike. */
  private static final int ROUNDS = 10;

  private final Duration phase;
  private final Map<String, String> results = new LinkedHashMap<>();

  private StorageBenchmark(Duration phase) {
    this.phase = phase;
  }

  public static void main(String[] args) throws Exception {
    int seconds = 5;
    String backend = "all";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--backend" -> backend = args[++i];
        default -> {
          System.err.println("usage: StorageBenchmark [--seconds N] [--backend sqlite|etcd|all]");
          System.exit(2);
        }
      }
    }
    System.out.printf(
        "storage benchmark, %s, %d cores, %d s per phase%n",
        LocalDate.now(), Runtime.getRuntime().availableProcessors(), seconds);
    List<Map<String, String>> columns = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (backend.equals("sqlite") || backend.equals("all")) {
      names.add("sqlite");
      columns.add(new StorageBenchmark(Duration.ofSeconds(seconds)).sqlite());
    }
    if (backend.equals("etcd") || backend.equals("all")) {
      names.add("etcd (1 member)");
      columns.add(new StorageBenchmark(Duration.ofSeconds(seconds)).etcd());
    }
    printTable(names, columns);
  }

  /** A single etcd member on loopback, started and removed by the benchmark itself. */
  private Map<String, String> etcd() throws Exception {
    try (LocalEtcd etcd = LocalEtcd.start(LocalEtcd.DEFAULT_BINARY, 1);
        Store store = EtcdStore.connect(EtcdConfig.plain(etcd.clientUrls()));
        Client client =
            Client.builder().endpoints(etcd.clientUrls().toArray(String[]::new)).build()) {
      // first, while the member holds no history yet, as etcd's own benchmark would find it
      compareWithRawPuts(store, client.getKVClient());
      measure(store);
    }
    return results;
  }

  /**
   * etcd's own put rate through jetcd against the store's creates, 16 clients each, in rotating
   * rounds so that load from elsewhere on the machine weighs on all alike. A create must not
   * overwrite, so it is an etcd transaction (compare create revision, then put), as kube-apiserver
   * writes it; raw jetcd transactions of that shape show how much of the gap to blind puts is
   * etcd's own cost of a transaction.
   */
  private void compareWithRawPuts(Store store, KV kv) throws InterruptedException {
    ByteSequence value = ByteSequence.from(VALUE);
    String run = "/registry/bench-raw/" + System.nanoTime() + "/";
    Call put = i -> kv.put(rawKey(run + "put-", i), value).join();
    Call txn =
        i -> {
          ByteSequence key = rawKey(run + "txn-", i);
          kv.txn()
              .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
              .Then(Op.put(key, value, PutOption.DEFAULT))
              .commit()
              .join();
        };
    Call create = i -> write(store, run + "store-", i);
    List<Call> calls = List.of(put, txn, create);
    long[] ops = new long[calls.size()];
    long[] nanos = new long[calls.size()];
    Duration slice = phase.multipliedBy(2).dividedBy(ROUNDS);
    for (int round = 0; round < ROUNDS; round++) {
      // who goes first rotates too
      for (int k = 0; k < calls.size(); k++) {
        int which = (k + round) % calls.size();
        Rate r = timed(16, calls.get(which), slice);
        ops[which] += r.operations;
        nanos[which] += r.nanos;
      }
    }
    results.put("raw jetcd put/s, 16 clients (rotating)", rate(new Rate(ops[0], nanos[0])));
    results.put("raw jetcd create txn/s, 16 clients (rotating)", rate(new Rate(ops[1], nanos[1])));
    results.put("store creates/s, 16 clients (rotating)", rate(new Rate(ops[2], nanos[2])));
    results.put("store creates / raw puts", ratio(ops[2], nanos[2], ops[0], nanos[0]));
    results.put("store creates / raw create txns", ratio(ops[2], nanos[2], ops[1], nanos[1]));
  }

  private static ByteSequence rawKey(String prefix, long i) {
    return ByteSequence.from(prefix + Thread.currentThread().threadId() + "-" + i, UTF_8);
  }

  private static String ratio(long ops, long nanos, long baseOps, long baseNanos) {
    return String.format("%.0f %%", 100.0 * ops * baseNanos / ((double) nanos * baseOps));
  }

  private Map<String, String> sqlite() throws Exception {
    Path dir = Files.createTempDirectory("skiff-bench-sqlite");
    try {
      try (Store store = SqliteStore.open(dir.resolve("state.db"))) {
        measure(store);
      }
      SqliteOptions d = SqliteOptions.defaults();
      SqliteOptions noFsync =
          new SqliteOptions(d.compactInterval(), d.keepRevisions(), d.readers(), false);
      try (Store store = SqliteStore.open(dir.resolve("normal.db"), noFsync)) {
        results.put(
            "writes/s, 16 writers, no fsync per commit",
            rate(timed(16, i -> write(store, "/registry/bench-normal/", i))));
      }
    } finally {
      deleteTree(dir);
    }
    return results;
  }

  private void measure(Store store) throws Exception {
    String run = "/registry/bench/" + System.nanoTime() + "/";
    results.put("writes/s, 1 writer", rate(timed(1, i -> write(store, run + "w1/", i))));
    results.put("writes/s, 16 writers", rate(timed(16, i -> write(store, run + "w16/", i))));
    for (int k = 0; k < KEYS_FOR_READS; k++) {
      store.create(run + "r/" + k, VALUE, 0);
    }
    Call read = i -> store.get(run + "r/" + ThreadLocalRandom.current().nextInt(KEYS_FOR_READS));
    results.put("reads/s, 1 reader", rate(timed(1, read)));
    results.put("reads/s, 16 readers", rate(timed(16, read)));
    watchFanOut(store, run + "watch/");
    compaction(store, run + "compact/");
  }

  private static void write(Store store, String prefix, long i) {
    store.create(prefix + Thread.currentThread().threadId() + "-" + i, VALUE, 0);
  }

  interface Call {
    void call(long i);
  }

  private record Rate(long operations, long nanos) {}

  /** Runs {@code clients} threads calling {@code client} in a loop for one phase. */
  private Rate timed(int clients, Call client) throws InterruptedException {
    return timed(clients, client, phase);
  }

  private static Rate timed(int clients, Call client, Duration length) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    long deadline = System.nanoTime() + length.toNanos();
    long start = System.nanoTime();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (long i = 0; System.nanoTime() < deadline; i++) {
                      client.call(i);
                      done.incrementAndGet();
                    }
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Rate(done.get(), System.nanoTime() - start);
  }

  private static String rate(Rate rate) {
    return String.format("%,.0f", rate.operations * 1e9 / rate.nanos);
  }

  /** Time until every one of {@link #WATCHERS} watches has seen every write of 16 writers. */
  private void watchFanOut(Store store, String prefix) throws InterruptedException {
    CountDownLatch delivered = new CountDownLatch(WATCHERS);
    List<Store.Watch> watches = new ArrayList<>();
    long after = store.currentRevision();
    for (int w = 0; w < WATCHERS; w++) {
      AtomicLong seen = new AtomicLong();
      watches.add(
          store.watch(
              prefix,
              after,
              e -> {
                if (seen.incrementAndGet() == WATCHED_WRITES) {
                  delivered.countDown();
                }
              }));
    }
    long start = System.nanoTime();
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 16; w++) {
      int writer = w;
      writers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = writer; i < WATCHED_WRITES; i += 16) {
                      store.create(prefix + i, VALUE, 0);
                    }
                  }));
    }
    for (Thread t : writers) {
      t.join();
    }
    boolean complete = delivered.await(5, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - start;
    watches.forEach(Store.Watch::close);
    results.put(
        "watch fan-out: " + WATCHERS + " watches x " + WATCHED_WRITES + " writes",
        complete
            ? String.format(
                "%,.0f ms, %,.0f events/s", nanos / 1e6, WATCHERS * WATCHED_WRITES * 1e9 / nanos)
            : "incomplete after 5 min");
  }

  /** Writes {@link #COMPACTION_REVISIONS} updates over 1,000 keys, then compacts them all away. */
  private void compaction(Store store, String prefix) throws InterruptedException {
    int keys = 1000;
    for (int k = 0; k < keys; k++) {
      store.create(prefix + k, VALUE, 0);
    }
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 16; w++) {
      int writer = w;
      writers.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = writer; i < COMPACTION_REVISIONS - keys; i += 16) {
                      store.update(prefix + (i % keys), VALUE, 0, 0);
                    }
                  }));
    }
    for (Thread t : writers) {
      t.join();
    }
    long start = System.nanoTime();
    store.compact(store.currentRevision());
    results.put(
        "compaction of 100k revisions",
        String.format("%,.0f ms", (System.nanoTime() - start) / 1e6));
  }

  private static void printTable(List<String> names, List<Map<String, String>> columns) {
    if (columns.isEmpty()) {
      return;
    }
    List<String> rows = new ArrayList<>();
    columns.forEach(c -> c.keySet().stream().filter(k -> !rows.contains(k)).forEach(rows::add));
    int first = rows.stream().map(String::length).max(Comparator.naturalOrder()).orElse(10);
    StringBuilder header = new StringBuilder(String.format("%-" + first + "s", "measure"));
    names.forEach(n -> header.append(String.format(" | %26s", n)));
    System.out.println(header);
    System.out.println("-".repeat(header.length()));
    for (String row : rows) {
      StringBuilder line = new StringBuilder(String.format("%-" + first + "s", row));
      for (Map<String, String> column : columns) {
        line.append(String.format(" | %26s", column.getOrDefault(row, "-")));
      }
      System.out.println(line);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
