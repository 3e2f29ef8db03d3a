package dev.skiff.apiserver.watch;

/**
 * One change in a watch cache.
 *
 * @param object the new state; for DELETED the last state with the delete's resourceVersion
 * @param previous the state before, null for ADDED
 */
public record CacheEvent(Type type, CachedObject object, CachedObject previous, long revision) {
  public enum Type {
    ADDED,
    MODIFIED,
    DELETED
  }
}
