package dev.skiff.api.informers;

import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

/**
 * Informers that, once synced, relist and watch again after any failed watch, as client-go's
 * reflector does. fabric8's default gives up on a watch that ends with an error other than 410 Gone
 * (an unparsable event, say), leaving the cache frozen and whoever reads it blind for good. A first
 * list that fails still fails the informer's start, so a dead API server is reported, not waited
 * on.
 */
public final class RelistingInformer {
  /** Retries after any error once the informer has synced, never before. */
  private static final ExceptionHandler RELIST_ONCE_SYNCED = (synced, error) -> synced;

  private RelistingInformer() {}

  /** An informer of {@code source}, not yet started, without periodic resyncs. */
  public static <T> SharedIndexInformer<T> of(Informable<T> source) {
    SharedIndexInformer<T> informer = source.runnableInformer(0);
    informer.exceptionHandler(RELIST_ONCE_SYNCED);
    return informer;
  }
}
