package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.options.GetOption;
import java.util.function.LongSupplier;

/**
 * Finds etcd's compaction revision, which no etcd API reports directly: a read at revision r is
 * refused exactly when r is below it, so a binary search over the revisions finds it in a few dozen
 * small reads.
 */
final class CompactionProbe {
  private static final ByteSequence PROBE_KEY =
      ByteSequence.from("\0skiff/compaction-probe", UTF_8);

  private final KV kv;
  private final LongSupplier currentRevision;

  CompactionProbe(KV kv, LongSupplier currentRevision) {
    this.kv = kv;
    this.currentRevision = currentRevision;
  }

  /** The oldest readable revision, 0 when nothing was ever compacted away. */
  long current() {
    if (readable(1)) {
      return 0;
    }
    long unreadable = 1;
    long readable = currentRevision.getAsLong();
    while (readable - unreadable > 1) {
      long middle = unreadable + (readable - unreadable) / 2;
      if (readable(middle)) {
        readable = middle;
      } else {
        unreadable = middle;
      }
    }
    return readable;
  }

  private boolean readable(long revision) {
    GetOption option = GetOption.builder().withRevision(revision).withCountOnly(true).build();
    try {
      EtcdCalls.await(kv.get(PROBE_KEY, option), "compaction probe");
      return true;
    } catch (EtcdCalls.CompactedRead e) {
      return false;
    }
  }
}
