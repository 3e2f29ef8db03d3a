package dev.skiff.storage.snapshot;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.skiff.storage.StorageException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Skiff's snapshot format for an etcd-backed cluster: every live key of the store as of one
 * revision. Big-endian, in this order:
 *
 * <ol>
 *   <li>the 8 ASCII bytes {@code SKIFFKV1};
 *   <li>the revision the copy is consistent at (int64);
 *   <li>per key, in key order: the byte 1, the key's length (int32) and UTF-8 bytes, the value's
 *       length (int32) and bytes, and the seconds the key has left to live (int64, 0 = no TTL);
 *   <li>the byte 0, the number of keys (int64), and the CRC-32 of every byte before it (int64).
 * </ol>
 *
 * Revisions are not part of a key's record: a restored key gets a new revision from the store it is
 * written into.
 */
public final class KeyspaceDump {
  private static final byte[] MAGIC = "SKIFFKV1".getBytes(UTF_8);
  private static final int MAX_KEY_BYTES = 64 * 1024;
  private static final int MAX_VALUE_BYTES = 64 * 1024 * 1024;

  private KeyspaceDump() {}

  /** One key of the dump. */
  public record Entry(String key, byte[] value, long ttlSeconds) {}

  /** What a verified dump holds. */
  public record Summary(long revision, long keys) {}

  /** Whether {@code file} starts like a dump; says nothing about the rest of it. */
  public static boolean looksLikeDump(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(in.readNBytes(MAGIC.length), MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Reads the whole dump and checks its structure and checksum without keeping it in memory.
   *
   * @throws StorageException naming what is wrong with the file
   */
  public static Summary verify(Path file) {
    return read(file, _ -> {});
  }

  /**
   * Hands every key of a dump to {@code sink} in order. The checksum is only known at the end, so
   * callers that must not act on a damaged file {@link #verify} it first.
   *
   * @throws StorageException naming what is wrong with the file
   */
  public static Summary read(Path file, Consumer<Entry> sink) {
    CRC32 crc = new CRC32();
    try (DataInputStream in =
        new DataInputStream(
            new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file)), crc))) {
      if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
        throw new StorageException("not a Skiff keyspace snapshot: " + file);
      }
      long revision = in.readLong();
      long keys = 0;
      for (byte tag = in.readByte(); tag != 0; tag = in.readByte()) {
        if (tag != 1) {
          throw new StorageException("snapshot damaged: unexpected record type " + tag);
        }
        String key = new String(bytes(in, MAX_KEY_BYTES, "key"), UTF_8);
        byte[] value = bytes(in, MAX_VALUE_BYTES, "value");
        long ttl = in.readLong();
        if (ttl < 0) {
          throw new StorageException("snapshot damaged: negative TTL for " + key);
        }
        sink.accept(new Entry(key, value, ttl));
        keys++;
      }
      long counted = in.readLong();
      long expected = crc.getValue();
      long recorded = in.readLong();
      if (counted != keys || recorded != expected) {
        throw new StorageException("snapshot damaged: checksum mismatch in " + file);
      }
      if (in.read() != -1) {
        throw new StorageException("snapshot damaged: data after the end in " + file);
      }
      return new Summary(revision, keys);
    } catch (EOFException e) {
      throw new StorageException("snapshot damaged: " + file + " ends early", e);
    } catch (IOException e) {
      throw new StorageException("cannot read snapshot " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(DataInputStream in, int max, String what) throws IOException {
    int length = in.readInt();
    if (length < 0 || length > max) {
      throw new StorageException("snapshot damaged: impossible " + what + " length " + length);
    }
    byte[] read = in.readNBytes(length);
    if (read.length != length) {
      throw new EOFException();
    }
    return read;
  }

  /** Writes a dump; {@link #finish} must be called for the file to be complete. */
  public static final class Writer {
    private final CRC32 crc = new CRC32();
    private final DataOutputStream out;
    private long keys;

    /** Starts a dump consistent at {@code revision} on {@code out}, which is not closed. */
    public Writer(OutputStream out, long revision) {
      this.out = new DataOutputStream(new CheckedOutputStream(new BufferedOutputStream(out), crc));
      try {
        this.out.write(MAGIC);
        this.out.writeLong(revision);
      } catch (IOException e) {
        throw failed(e);
      }
    }

    public void write(Entry entry) {
      byte[] key = entry.key().getBytes(UTF_8);
      try {
        out.writeByte(1);
        out.writeInt(key.length);
        out.write(key);
        out.writeInt(entry.value().length);
        out.write(entry.value());
        out.writeLong(entry.ttlSeconds());
        keys++;
      } catch (IOException e) {
        throw failed(e);
      }
    }

    /** Writes the trailer and flushes. */
    public void finish() {
      try {
        out.writeByte(0);
        out.writeLong(keys);
        out.flush();
        out.writeLong(crc.getValue());
        out.flush();
      } catch (IOException e) {
        throw failed(e);
      }
    }

    private static StorageException failed(IOException e) {
      return new StorageException("cannot write snapshot: " + e.getMessage(), e);
    }
  }
}
