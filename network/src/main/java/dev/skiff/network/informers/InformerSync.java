package dev.skiff.network.informers;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Starts informers and waits, bounded, for their first list, so a dead API server is an error. */
public final class InformerSync {
  private static final long TIMEOUT_SECONDS = 30;

  private InformerSync() {}

  public static void await(SharedIndexInformer<?>... informers) {
    CompletableFuture<?>[] syncs = new CompletableFuture<?>[informers.length];
    for (int i = 0; i < informers.length; i++) {
      syncs[i] = informers[i].start().toCompletableFuture();
    }
    try {
      CompletableFuture.allOf(syncs).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "informers did not sync with the API server within " + TIMEOUT_SECONDS + "s", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("informers failed to start: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for informers", e);
    }
  }
}
