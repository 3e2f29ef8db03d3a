package dev.skiff.storage.etcd;

import static dev.skiff.storage.etcd.EtcdCalls.await;
import static dev.skiff.storage.etcd.EtcdKeys.key;

import dev.skiff.storage.KeyValue;
import dev.skiff.storage.RangeResult;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import dev.skiff.storage.snapshot.KeyspaceDump;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Lease;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.LeaseOption;
import io.etcd.jetcd.options.PutOption;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Snapshots of an etcd-backed store in {@link KeyspaceDump} form: saving reads every key at one
 * revision (online, etcd serves that read consistently while writes go on); restoring replaces
 * every key of the cluster with the dump's. etcd's own snapshot files would need {@code etcdctl}
 * and new member data directories to restore; a dump restores through the client API into the
 * running etcd cluster, so only the Skiff servers need stopping.
 */
final class EtcdSnapshot {
  private static final int PAGE = 500;
  private static final int PUTS_IN_FLIGHT = 64;
  private static final ByteSequence ALL = ByteSequence.from(new byte[] {0});

  private EtcdSnapshot() {}

  static void save(Store store, Lease leaseClient, OutputStream out) {
    long revision = store.currentRevision();
    KeyspaceDump.Writer dump = new KeyspaceDump.Writer(out, revision);
    Map<Long, Long> ttlOfLease = new HashMap<>();
    String after = null;
    for (boolean more = true; more; ) {
      RangeResult page = store.list("", after, PAGE, revision);
      for (KeyValue kv : page.kvs()) {
        long ttl = 0;
        if (kv.lease() != 0) {
          ttl = ttlOfLease.computeIfAbsent(kv.lease(), id -> remainingSeconds(leaseClient, id));
          if (ttl <= 0) {
            continue; // the lease has run out: the key is being deleted
          }
        }
        dump.write(new KeyspaceDump.Entry(kv.key(), kv.value(), ttl));
        after = kv.key();
      }
      more = page.more() && !page.kvs().isEmpty();
    }
    dump.finish();
  }

  private static long remainingSeconds(Lease leaseClient, long id) {
    return await(leaseClient.timeToLive(id, LeaseOption.DEFAULT), "lease time-to-live").getTTL();
  }

  /**
   * Replaces every key with the dump's. The file is verified before anything is deleted; if writing
   * fails part way the error says so, and running the restore again completes it.
   *
   * @return the number of keys restored
   */
  static long restore(KV kv, EtcdLeases leases, Path file) {
    KeyspaceDump.Summary summary = KeyspaceDump.verify(file);
    await(kv.delete(ALL, DeleteOption.builder().withRange(ALL).build()), "delete");
    Semaphore slots = new Semaphore(PUTS_IN_FLIGHT);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    KeyspaceDump.read(
        file,
        entry -> {
          if (failure.get() != null) {
            return;
          }
          PutOption put =
              PutOption.builder().withLeaseId(leases.leaseFor(entry.ttlSeconds())).build();
          slots.acquireUninterruptibly();
          kv.put(key(entry.key()), ByteSequence.from(entry.value()), put)
              .whenComplete(
                  (_, error) -> {
                    if (error != null) {
                      failure.compareAndSet(null, error);
                    }
                    slots.release();
                  });
        });
    slots.acquireUninterruptibly(PUTS_IN_FLIGHT);
    if (failure.get() != null) {
      throw new StorageException(
          "restore incomplete, run it again: "
              + EtcdCalls.translate(failure.get(), "put").getMessage(),
          failure.get());
    }
    return summary.keys();
  }
}
