package dev.skiff.storage;

import java.io.OutputStream;

/** A store that can write a consistent backup of itself while it keeps serving writes. */
public interface Snapshots {

  /**
   * Writes a point-in-time copy of the whole store to {@code out}; the stream is not closed.
   *
   * @throws StorageException if the copy cannot be taken or written
   */
  void save(OutputStream out);
}
