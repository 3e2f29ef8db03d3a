package dev.skiff.kubelet;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.function.Supplier;

/** Writes that the API server may refuse with 409 Conflict when it races another writer. */
public final class ApiCalls {
  static final int ATTEMPTS = 5;

  private ApiCalls() {}

  /** Runs {@code write} again (it must re-read what it depends on) while it conflicts. */
  public static <T> T retryOnConflict(Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }
}
