package dev.skiff.cli.host;

import dev.skiff.cli.UserError;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory of one cluster, held under an exclusive lock while a server runs on it, so
 * that a second {@code skiff up} on the same directory fails instead of corrupting the store.
 */
public final class DataDir implements AutoCloseable {
  private final Path path;
  private final FileChannel channel;
  private final FileLock lock;

  private DataDir(Path path, FileChannel channel, FileLock lock) {
    this.path = path;
    this.channel = channel;
    this.lock = lock;
  }

  /** Upstream-like default: {@code /var/lib/skiff} as root, else under the user's home. */
  public static Path defaultPath() {
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/skiff");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "skiff");
  }

  public static DataDir lock(Path path) {
    try {
      Files.createDirectories(path);
      Path lockFile = path.resolve("skiff.lock");
      FileChannel ch =
          FileChannel.open(
              lockFile,
              StandardOpenOption.CREATE,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this very process
      }
      if (lock == null) {
        String holder = Files.readString(lockFile).trim();
        ch.close();
        throw new UserError(
            "a Skiff server is already running on "
                + path
                + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                + "; stop it first or pass another --data-dir");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.US_ASCII)));
      ch.force(true);
      return new DataDir(path, ch, lock);
    } catch (IOException e) {
      throw new UserError("cannot use data dir " + path + ": " + e.getMessage(), e);
    }
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // The lock dies with the process anyway.
    }
  }
}
