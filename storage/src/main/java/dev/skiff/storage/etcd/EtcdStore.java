package dev.skiff.storage.etcd;

import static dev.skiff.storage.etcd.EtcdCalls.await;
import static dev.skiff.storage.etcd.EtcdKeys.key;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.Snapshots;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.snapshot.KeyspaceDump;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * The store on an etcd v3 cluster through jetcd. Keys and revisions are etcd's own; conditional
 * writes are etcd transactions on the key's create or mod revision; TTLs are etcd leases.
 */
public final class EtcdStore implements Store, Snapshots {
  private static final GetOption COUNT_ONLY = GetOption.builder().withCountOnly(true).build();

  /**
   * grpc-netty tells java.util.logging at INFO, once per process, whether epoll is available; on
   * the console of a short command such as {@code skiff snapshot save} that is noise. Held here so
   * the setting is not collected with the logger.
   */
  private static final java.util.logging.Logger GRPC_NETTY_LOG = quiet("io.grpc.netty");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
    logger.setLevel(java.util.logging.Level.WARNING);
    return logger;
  }

  private final Client client;
  private final KV kv;
  private final CompactionProbe compaction;
  private final EtcdLeases leases;
  private EtcdCompactor compactor;

  private EtcdStore(Client client) {
    this.client = client;
    this.kv = client.getKVClient();
    this.compaction = new CompactionProbe(kv, this::currentRevision);
    this.leases = new EtcdLeases(client.getLeaseClient());
  }

  /**
   * Connects with periodic compaction keeping 5 minutes and at least 1,000 revisions of history.
   */
  public static EtcdStore connect(EtcdConfig config) {
    return connect(config, Duration.ofMinutes(5), 1000);
  }

  /**
   * Connects to the cluster; fails with a clear message when no member answers.
   *
   * @param compactInterval how often the servers sharing this etcd compact it, and the least age of
   *     history kept
   * @param keepRevisions the least number of recent revisions compaction keeps
   */
  public static EtcdStore connect(EtcdConfig config, Duration compactInterval, long keepRevisions) {
    if (compactInterval.isNegative() || compactInterval.isZero()) {
      throw new IllegalArgumentException("compactInterval must be positive: " + compactInterval);
    }
    ClientBuilder builder =
        Client.builder().endpoints(config.urls().toArray(String[]::new)).waitForReady(false);
    if (config.tls()) {
      try {
        builder.sslContext(
            ssl -> {
              if (config.caFile() != null) {
                ssl.trustManager(config.caFile().toFile());
              }
              if (config.certFile() != null) {
                ssl.keyManager(config.certFile().toFile(), config.keyFile().toFile());
              }
            });
      } catch (SSLException e) {
        throw new StorageException("cannot set up TLS for etcd: " + e.getMessage(), e);
      }
    }
    EtcdStore store = new EtcdStore(builder.build());
    try {
      store.currentRevision();
    } catch (RuntimeException e) {
      store.close();
      throw new StorageException(
          "cannot reach etcd at " + config.urls() + ": " + e.getMessage(), e);
    }
    store.compactor = new EtcdCompactor(store.kv, compactInterval, keepRevisions);
    return store;
  }

  @Override
  public long currentRevision() {
    return await(kv.get(key("\0"), COUNT_ONLY), "get").getHeader().getRevision();
  }

  @Override
  public long compactedRevision() {
    return compaction.current();
  }

  @Override
  public Optional<KeyValue> get(String key) {
    return get(key, 0);
  }

  @Override
  public Optional<KeyValue> get(String key, long revision) {
    requireKey(key);
    GetResponse response = read(revision, () -> kv.get(key(key), at(revision).build()));
    return response.getKvs().stream().findFirst().map(EtcdKeys::toKeyValue);
  }

  @Override
  public RangeResult list(String prefix, String startAfter, int limit, long revision) {
    if (prefix == null) {
      throw new IllegalArgumentException("prefix must not be null");
    }
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: " + limit);
    }
    ByteSequence end = EtcdKeys.rangeEnd(prefix);
    ByteSequence from = startAfter == null ? EtcdKeys.rangeStart(prefix) : key(startAfter + "\0");
    GetResponse page =
        read(revision, () -> kv.get(from, at(revision).withRange(end).withLimit(limit).build()));
    long at = page.getHeader().getRevision();
    if (revision != 0) {
      at = revision;
    }
    long count = page.getCount();
    if (startAfter != null) {
      long r = at;
      count =
          read(
                  r,
                  () ->
                      kv.get(
                          EtcdKeys.rangeStart(prefix),
                          GetOption.builder()
                              .withRange(end)
                              .withRevision(r)
                              .withCountOnly(true)
                              .build()))
              .getCount();
    }
    List<KeyValue> kvs = page.getKvs().stream().map(EtcdKeys::toKeyValue).toList();
    return new RangeResult(kvs, at, page.isMore(), count);
  }

  @Override
  public long count(String prefix) {
    GetOption option =
        GetOption.builder().withRange(EtcdKeys.rangeEnd(prefix)).withCountOnly(true).build();
    return await(kv.get(EtcdKeys.rangeStart(prefix), option), "count").getCount();
  }

  private static GetOption.Builder at(long revision) {
    return GetOption.builder().withRevision(revision);
  }

  private GetResponse read(long revision, Supplier<CompletableFuture<GetResponse>> call) {
    if (revision < 0) {
      throw new IllegalArgumentException("revision must not be negative: " + revision);
    }
    try {
      return await(call.get(), "read");
    } catch (EtcdCalls.CompactedRead e) {
      throw new StorageException.Compacted(revision, compaction.current());
    } catch (EtcdCalls.FutureRead e) {
      throw new StorageException.FutureRevision(revision, currentRevision());
    }
  }

  @Override
  public KeyValue create(String key, byte[] value, long ttlSeconds) {
    requireWrite(key, value, ttlSeconds);
    long lease = leases.leaseFor(ttlSeconds);
    TxnResponse txn =
        await(
            kv.txn()
                .If(new Cmp(key(key), Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(
                    Op.put(
                        key(key),
                        ByteSequence.from(value),
                        PutOption.builder().withLeaseId(lease).build()))
                .commit(),
            "create");
    if (!txn.isSucceeded()) {
      throw new StorageException.KeyExists(key);
    }
    long revision = txn.getHeader().getRevision();
    return new KeyValue(key, value, revision, revision, lease);
  }

  @Override
  public KeyValue update(String key, byte[] value, long expectedModRevision, long ttlSeconds) {
    requireWrite(key, value, ttlSeconds);
    long lease = leases.leaseFor(ttlSeconds);
    PutOption put = PutOption.builder().withLeaseId(lease).withPrevKV().build();
    TxnResponse txn =
        await(
            kv.txn()
                .If(precondition(key, expectedModRevision))
                .Then(Op.put(key(key), ByteSequence.from(value), put))
                .Else(Op.get(key(key), GetOption.DEFAULT))
                .commit(),
            "update");
    if (!txn.isSucceeded()) {
      throw refusal(key, txn);
    }
    long createRevision = txn.getPutResponses().getFirst().getPrevKv().getCreateRevision();
    return new KeyValue(key, value, createRevision, txn.getHeader().getRevision(), lease);
  }

  @Override
  public KeyValue delete(String key, long expectedModRevision) {
    requireKey(key);
    TxnResponse txn =
        await(
            kv.txn()
                .If(precondition(key, expectedModRevision))
                .Then(Op.delete(key(key), DeleteOption.builder().withPrevKV(true).build()))
                .Else(Op.get(key(key), GetOption.DEFAULT))
                .commit(),
            "delete");
    if (!txn.isSucceeded()) {
      throw refusal(key, txn);
    }
    KeyValue prev =
        EtcdKeys.toKeyValue(txn.getDeleteResponses().getFirst().getPrevKvs().getFirst());
    return new KeyValue(
        key, prev.value(), prev.createRevision(), txn.getHeader().getRevision(), prev.lease());
  }

  /** The key must exist, and when a revision is expected, be at exactly that revision. */
  private static Cmp precondition(String key, long expectedModRevision) {
    return expectedModRevision == 0
        ? new Cmp(key(key), Cmp.Op.GREATER, CmpTarget.createRevision(0))
        : new Cmp(key(key), Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision));
  }

  private static StorageException refusal(String key, TxnResponse txn) {
    List<io.etcd.jetcd.KeyValue> current = txn.getGetResponses().getFirst().getKvs();
    if (current.isEmpty()) {
      return new StorageException.KeyNotFound(key);
    }
    return new StorageException.Conflict(key, EtcdKeys.toKeyValue(current.getFirst()));
  }

  @Override
  public Watch watch(String prefix, long afterRevision, WatchListener listener) {
    if (prefix == null || listener == null) {
      throw new IllegalArgumentException("prefix and listener are required");
    }
    if (afterRevision == 0) {
      long compacted = compaction.current();
      if (compacted > 0) {
        throw new StorageException.Compacted(0, compacted);
      }
    } else {
      // etcd reports compaction of a watch only later, on the stream; callers want it now
      try {
        await(
            kv.get(EtcdKeys.rangeStart(prefix), at(afterRevision).withCountOnly(true).build()),
            "read");
      } catch (EtcdCalls.CompactedRead e) {
        throw new StorageException.Compacted(afterRevision, compaction.current());
      } catch (EtcdCalls.FutureRead e) {
        // watching from a revision not reached yet is allowed; events arrive when it is
      }
    }
    return new EtcdWatch(client.getWatchClient(), prefix, afterRevision, listener);
  }

  @Override
  public void compact(long revision) {
    try {
      await(
          kv.compact(revision, CompactOption.builder().withCompactPhysical(true).build()),
          "compact");
    } catch (EtcdCalls.CompactedRead alreadyCompacted) {
      // compacting to or below the compacted revision changes nothing, as in the SQLite store
    } catch (EtcdCalls.FutureRead e) {
      throw new StorageException.FutureRevision(revision, currentRevision());
    }
  }

  /** Writes every key as of the current revision in {@link KeyspaceDump} form. */
  @Override
  public void save(OutputStream out) {
    EtcdSnapshot.save(this, client.getLeaseClient(), out);
  }

  /**
   * Replaces every key of the etcd cluster with those of a {@link KeyspaceDump}; no server may be
   * using the cluster meanwhile.
   *
   * @return the revision the store continues from
   * @throws StorageException if the dump is damaged (then nothing is changed) or writing fails
   */
  public long restore(Path dump) {
    EtcdSnapshot.restore(kv, leases, dump);
    return currentRevision();
  }

  private static void requireKey(String key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
  }

  private static void requireWrite(String key, byte[] value, long ttlSeconds) {
    requireKey(key);
    if (value == null) {
      throw new IllegalArgumentException("value must not be null for " + key);
    }
    if (ttlSeconds < 0) {
      throw new IllegalArgumentException("ttlSeconds must not be negative: " + ttlSeconds);
    }
  }

  @Override
  public void close() {
    if (compactor != null) {
      compactor.close();
    }
    client.close();
  }
}
