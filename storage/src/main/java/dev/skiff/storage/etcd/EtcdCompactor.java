package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic compaction of a shared etcd, as kube-apiserver does it: every server ticks, but only the
 * one that wins a compare-and-swap on {@code /registry/compact_rev_key}'s version compacts, to the
 * revision seen one tick earlier. History is thus kept for at least one interval whatever the
 * number of servers, and at least {@code keepRevisions} revisions.
 */
final class EtcdCompactor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EtcdCompactor.class);

  /**
   * Under {@code /registry/} rather than at the root as upstream has it, so that a watch on the
   * registry sees every revision etcd hands out and a reader waiting for the current revision is
   * not left waiting on this key's writes.
   */
  private static final ByteSequence KEY = ByteSequence.from("/registry/compact_rev_key", UTF_8);

  private final KV kv;
  private final long keepRevisions;
  private final ScheduledExecutorService timer;
  private long version;
  private long lastRevision;

  EtcdCompactor(KV kv, Duration interval, long keepRevisions) {
    this.kv = kv;
    this.keepRevisions = keepRevisions;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("etcd-compactor").daemon().unstarted(r));
    long millis = interval.toMillis();
    timer.scheduleWithFixedDelay(this::tick, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    try {
      TxnResponse txn =
          EtcdCalls.await(
              kv.txn()
                  .If(new Cmp(KEY, Cmp.Op.EQUAL, CmpTarget.version(version)))
                  .Then(
                      Op.put(
                          KEY,
                          ByteSequence.from(Long.toString(lastRevision), UTF_8),
                          PutOption.DEFAULT))
                  .Else(Op.get(KEY, GetOption.DEFAULT))
                  .commit(),
              "compaction claim");
      long current = txn.getHeader().getRevision();
      if (!txn.isSucceeded()) {
        // another server compacted since our last tick; follow its count and wait a full interval
        version = txn.getGetResponses().getFirst().getKvs().getFirst().getVersion();
        lastRevision = current;
        return;
      }
      version++;
      long target = Math.min(lastRevision, current - keepRevisions);
      lastRevision = current;
      if (target > 0) {
        EtcdCalls.await(
            kv.compact(target, CompactOption.builder().withCompactPhysical(true).build()),
            "compact");
        LOG.debug("compacted etcd to revision {}", target);
      }
    } catch (EtcdCalls.CompactedRead alreadyCompacted) {
      LOG.trace("etcd already compacted past the target");
    } catch (RuntimeException e) {
      LOG.warn("periodic etcd compaction failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
