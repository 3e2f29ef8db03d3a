package dev.skiff.storage.sqlite;

import dev.skiff.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on {@code <db>.lock}. The store keeps revisions in memory and feeds watches
 * from its own commits, so a second writer on the same file would hand out revisions twice; the
 * lock refuses it with a clear message instead. The OS drops the lock when the process dies.
 */
final class StoreLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  static StoreLock acquire(Path db) {
    Path file = Path.of(db + ".lock");
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw inUse(db);
      }
      return new StoreLock(channel, lock);
    } catch (OverlappingFileLockException e) {
      closeQuietly(channel);
      throw inUse(db);
    } catch (IOException e) {
      closeQuietly(channel);
      throw new StorageException("cannot lock " + file + ": " + e.getMessage(), e);
    } catch (StorageException e) {
      closeQuietly(channel);
      throw e;
    }
  }

  private static StorageException inUse(Path db) {
    return new StorageException("the store " + db + " is in use by another server; stop it first");
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the lock failed already; that is the error to report
      }
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException ignored) {
      // closing the channel releases the lock in any case
    }
  }
}
