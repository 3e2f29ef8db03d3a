package dev.skiff.storage;

/** A store operation failed; subclasses name the outcomes callers act on. */
public class StorageException extends RuntimeException {
  public StorageException(String message) {
    super(message);
  }

  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  /** create-if-absent found the key. */
  public static final class KeyExists extends StorageException {
    public KeyExists(String key) {
      super("key exists: " + key);
    }
  }

  /** The key is absent (update or delete of a missing key). */
  public static final class KeyNotFound extends StorageException {
    public KeyNotFound(String key) {
      super("key not found: " + key);
    }
  }

  /** A compare-and-swap saw another mod revision; {@code current} is the value now stored. */
  public static final class Conflict extends StorageException {
    private final transient KeyValue current;

    public Conflict(String key, KeyValue current) {
      super("revision conflict on " + key);
      this.current = current;
    }

    public KeyValue current() {
      return current;
    }
  }

  /** A read or watch asked for a revision already compacted away. */
  public static final class Compacted extends StorageException {
    private final long compactRevision;

    public Compacted(long requested, long compactRevision) {
      super("revision " + requested + " has been compacted; oldest is " + compactRevision);
      this.compactRevision = compactRevision;
    }

    public long compactRevision() {
      return compactRevision;
    }
  }

  /** A read asked for a revision the store has not reached yet. */
  public static final class FutureRevision extends StorageException {
    public FutureRevision(long requested, long current) {
      super("revision " + requested + " is in the future; current is " + current);
    }
  }
}
