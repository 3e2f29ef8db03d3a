package dev.skiff.storage.etcd;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.skiff.storage.KeyValue;
import io.etcd.jetcd.ByteSequence;

/** Conversions between the store's string keys and etcd's byte keys, which map one to one. */
final class EtcdKeys {
  private EtcdKeys() {}

  static ByteSequence key(String key) {
    return ByteSequence.from(key, UTF_8);
  }

  /** The first key of a prefix range; etcd takes no empty key, and "\0" sorts first. */
  static ByteSequence rangeStart(String prefix) {
    return prefix.isEmpty() ? ByteSequence.from(new byte[] {0}) : key(prefix);
  }

  /** etcd's range end for a prefix: the prefix with its last byte below 0xff incremented. */
  static ByteSequence rangeEnd(String prefix) {
    byte[] end = prefix.getBytes(UTF_8);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xff) {
        end[i]++;
        byte[] cut = new byte[i + 1];
        System.arraycopy(end, 0, cut, 0, i + 1);
        return ByteSequence.from(cut);
      }
    }
    // "\0" as range end means every key from the start key on
    return ByteSequence.from(new byte[] {0});
  }

  static KeyValue toKeyValue(io.etcd.jetcd.KeyValue kv) {
    return new KeyValue(
        kv.getKey().toString(UTF_8),
        kv.getValue().getBytes(),
        kv.getCreateRevision(),
        kv.getModRevision(),
        kv.getLease());
  }
}
