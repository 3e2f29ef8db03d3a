package dev.skiff.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Namespace lookups for the lifecycle check on create, as upstream's NamespaceLifecycle admission
 * makes them: from the watch cache, so that a create costs no store read, and from the store when
 * the cache does not have the namespace yet (one created a moment ago) or when this server was
 * asked to delete it a moment ago (its cache may still show it Active, and content must not land in
 * a namespace going away).
 */
public final class CachedNamespaceLookup implements NamespaceLookup {
  /** As long as upstream reads a namespace live after seeing its deletion. */
  static final Duration LIVE_AFTER_DELETION = Duration.ofSeconds(30);

  private final Function<String, Optional<ObjectNode>> cached;
  private final Function<String, Optional<ObjectNode>> live;
  private final ExpiringKeys deleting;

  public CachedNamespaceLookup(
      Function<String, Optional<ObjectNode>> cached, Function<String, Optional<ObjectNode>> live) {
    this(cached, live, System::nanoTime);
  }

  CachedNamespaceLookup(
      Function<String, Optional<ObjectNode>> cached,
      Function<String, Optional<ObjectNode>> live,
      LongSupplier nanoClock) {
    this.cached = cached;
    this.live = live;
    this.deleting = new ExpiringKeys(LIVE_AFTER_DELETION, nanoClock);
  }

  @Override
  public Optional<ObjectNode> find(String name) {
    if (!deleting.contains(name)) {
      Optional<ObjectNode> namespace = cached.apply(name);
      if (namespace.isPresent()) {
        return namespace;
      }
    }
    return live.apply(name);
  }

  @Override
  public void deletionRequested(String name) {
    deleting.mark(name);
  }
}
