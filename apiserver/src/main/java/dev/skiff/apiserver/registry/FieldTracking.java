package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Keeps {@code metadata.managedFields} of an object being written. Sees both versions in the served
 * shape, the way the client sent them, after defaulting.
 */
@FunctionalInterface
public interface FieldTracking {
  /**
   * Sets {@code after}'s managedFields.
   *
   * @param before the stored object, or null on create
   */
  void track(ObjectNode before, ObjectNode after);

  /** Writes the server makes for itself: the managed fields stay as they were. */
  FieldTracking KEEP =
      (before, after) -> {
        ObjectNode meta = after.withObjectProperty("metadata");
        JsonNode mf = before == null ? null : before.path("metadata").get("managedFields");
        if (mf == null) {
          meta.remove("managedFields");
        } else {
          meta.set("managedFields", mf.deepCopy());
        }
      };
}
