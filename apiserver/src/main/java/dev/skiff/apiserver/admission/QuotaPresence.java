package dev.skiff.apiserver.admission;

import dev.skiff.api.ResourceType;
import dev.skiff.api.selection.FieldSelector;
import dev.skiff.api.selection.LabelSelector;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.apiserver.watch.WatchFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether a namespace may hold ResourceQuotas, so that quota admission reads the store only where
 * one can apply, as upstream's reads its quota lister. The watch cache answers for quotas it has
 * seen; a quota written through this server counts from its admission on, for as long as upstream
 * trusts a live lookup (30 s), because the cache sees it a moment after it is stored. Without a
 * healthy cache every namespace may hold quotas.
 */
final class QuotaPresence {
  private static final long WRITTEN_TTL_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final WatchCacheSet caches;
  private final ResourceType quotas;
  private final Map<String, Long> writtenUntil = new ConcurrentHashMap<>();

  /** {@code caches} null: no cache, the store is always read. */
  QuotaPresence(WatchCacheSet caches, ResourceType quotas) {
    this.caches = caches;
    this.quotas = quotas;
  }

  /** A quota of {@code namespace} is about to be created or changed. */
  void written(String namespace) {
    writtenUntil.put(namespace, System.nanoTime() + WRITTEN_TTL_NANOS);
  }

  boolean mayHaveQuotas(String namespace) {
    if (caches == null || !caches.healthy()) {
      return true;
    }
    Long until = writtenUntil.get(namespace);
    if (until != null) {
      if (until - System.nanoTime() > 0) {
        return true;
      }
      writtenUntil.remove(namespace, until);
    }
    WatchFilter filter =
        new WatchFilter(
            namespace,
            LabelSelector.everything(),
            FieldSelector.everything(),
            quotas.group(),
            quotas.kind());
    return !caches.cache(quotas).list(filter).items().isEmpty();
  }
}
