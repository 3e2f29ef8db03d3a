package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** Finds a Namespace object by name, for the lifecycle checks on create; callers only read it. */
public interface NamespaceLookup {
  Optional<ObjectNode> find(String name);

  /** Told before a namespace's deletion is written, so that lookups soon after see it. */
  default void deletionRequested(String name) {}
}
