package dev.skiff.apiserver.allocation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.storage.KeyValue;
import dev.skiff.storage.StorageException;
import dev.skiff.storage.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * One allocator kept in the store as upstream's {@code RangeAllocation} (the range and the bitmap
 * in base64). Every change reads the stored bitmap, applies itself and writes back with
 * compare-and-swap, retrying on a concurrent write, so API servers sharing one store never hand out
 * the same value.
 */
final class StoredRange<A extends RangeAllocator> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A change to, or a question for, the allocator. */
  @FunctionalInterface
  interface Operation<A, T> {
    T apply(A allocator) throws AllocationException;
  }

  private final Store store;
  private final String key;
  private final A allocator;

  StoredRange(Store store, String key, A allocator) {
    this.store = store;
    this.key = key;
    this.allocator = allocator;
  }

  /** Applies {@code op} to the stored bitmap and stores the result; nothing is written on error. */
  synchronized <T> T update(Operation<A, T> op) throws AllocationException {
    return write(op, true);
  }

  /** Replaces the stored bitmap by what {@code op} builds from an empty one (repair). */
  synchronized <T> T replace(Operation<A, T> op) throws AllocationException {
    return write(op, false);
  }

  /** Answers {@code op} from the stored bitmap without writing. */
  synchronized <T> T read(Operation<A, T> op) throws AllocationException {
    load(store.get(key));
    return op.apply(allocator);
  }

  private <T> T write(Operation<A, T> op, boolean fromStored) throws AllocationException {
    while (true) {
      Optional<KeyValue> kv = store.get(key);
      if (fromStored) {
        load(kv);
      } else {
        allocator.clear();
      }
      T result = op.apply(allocator);
      byte[] value = encode();
      try {
        if (kv.isPresent()) {
          store.update(key, value, kv.get().modRevision(), 0);
        } else {
          store.create(key, value, 0);
        }
        return result;
      } catch (StorageException.Conflict
          | StorageException.KeyExists
          | StorageException.KeyNotFound e) {
        // Another API server changed the bitmap first: apply the change to its version.
      }
    }
  }

  private void load(Optional<KeyValue> kv) throws AllocationException {
    if (kv.isEmpty()) {
      allocator.clear();
      return;
    }
    try {
      JsonNode stored = JSON.readTree(kv.get().value());
      allocator.restore(stored.path("range").asText(), stored.path("data").binaryValue());
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable range allocation at " + key, e);
    }
  }

  private byte[] encode() {
    ObjectNode n = JSON.createObjectNode();
    n.put("kind", "RangeAllocation");
    n.put("apiVersion", "v1");
    n.putObject("metadata");
    n.put("range", allocator.range());
    n.put("data", allocator.snapshot());
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
