package dev.skiff.storage.sqlite;

import dev.skiff.storage.KeyValue;
import java.util.concurrent.CompletableFuture;

/** A write waiting for the group-commit writer; {@code result} completes once it is durable. */
sealed interface WriteOp {
  CompletableFuture<KeyValue> result();

  record Create(String key, byte[] value, long ttlSeconds, CompletableFuture<KeyValue> result)
      implements WriteOp {}

  record Update(
      String key,
      byte[] value,
      long expectedModRevision,
      long ttlSeconds,
      CompletableFuture<KeyValue> result)
      implements WriteOp {}

  record Delete(String key, long expectedModRevision, CompletableFuture<KeyValue> result)
      implements WriteOp {}

  /** Completes with null; runs on the writer so it never races a write. */
  record Compact(long revision, CompletableFuture<KeyValue> result) implements WriteOp {}
}
