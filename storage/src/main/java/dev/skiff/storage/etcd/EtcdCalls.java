package dev.skiff.storage.etcd;

import dev.skiff.storage.StorageException;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for jetcd calls and turns etcd's errors into the store's. */
final class EtcdCalls {
  private static final long TIMEOUT_SECONDS = 30;

  private EtcdCalls() {}

  /** Thrown inside this package when etcd refused a read at a compacted revision. */
  static final class CompactedRead extends RuntimeException {
    CompactedRead(Throwable cause) {
      super(cause);
    }
  }

  static <T> T await(CompletableFuture<T> call, String what) {
    try {
      return call.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw translate(e.getCause(), what);
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new StorageException("etcd " + what + " timed out after " + TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted during etcd " + what, e);
    }
  }

  static RuntimeException translate(Throwable cause, String what) {
    String message = String.valueOf(cause.getMessage());
    if (cause instanceof CompactedException
        || message.contains("required revision has been compacted")) {
      return new CompactedRead(cause);
    }
    if (message.contains("required revision is a future revision")) {
      return new FutureRead(cause);
    }
    if (cause instanceof EtcdException) {
      return new StorageException("etcd " + what + " failed: " + message, cause);
    }
    return new StorageException("etcd " + what + " failed: " + cause, cause);
  }

  /** Thrown inside this package when etcd refused a read beyond its current revision. */
  static final class FutureRead extends RuntimeException {
    FutureRead(Throwable cause) {
      super(cause);
    }
  }
}
