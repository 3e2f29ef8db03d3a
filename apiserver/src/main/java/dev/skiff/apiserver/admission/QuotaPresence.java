package dev.skiff.apiserver.admission;

import dev.skiff.api.ResourceType;
import dev.skiff.apiserver.registry.ExpiringKeys;
import dev.skiff.apiserver.watch.WatchCacheSet;
import dev.skiff.apiserver.watch.WatchFilter;
import java.time.Duration;

/**
 * Whether a namespace may hold ResourceQuotas, so that quota admission reads the store only where
 * one can apply, as upstream's reads its quota lister. The watch cache answers for quotas it has
 * seen; a quota written through this server counts from its admission on, for as long as upstream
 * trusts a live lookup (30 s), because the cache sees it a moment after it is stored. Without a
 * healthy cache every namespace may hold quotas.
 */
final class QuotaPresence {
  private final WatchCacheSet caches;
  private final ResourceType quotas;
  private final ExpiringKeys written = new ExpiringKeys(Duration.ofSeconds(30));

  /** {@code caches} null: no cache, the store is always read. */
  QuotaPresence(WatchCacheSet caches, ResourceType quotas) {
    this.caches = caches;
    this.quotas = quotas;
  }

  /** A quota of {@code namespace} is about to be created or changed. */
  void written(String namespace) {
    written.mark(namespace);
  }

  boolean mayHaveQuotas(String namespace) {
    if (caches == null || !caches.healthy() || written.contains(namespace)) {
      return true;
    }
    return !caches.cache(quotas).list(WatchFilter.everything(quotas, namespace)).items().isEmpty();
  }
}
