package dev.skiff.storage;

/**
 * One change delivered by {@link Store#watch}. For {@link Type#DELETE} {@code kv} carries the key
 * and the revision of the delete, and {@code prev} the last value.
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prev) {
  public enum Type {
    CREATE,
    UPDATE,
    DELETE
  }

  public long revision() {
    return kv.modRevision();
  }
}
