package dev.skiff.controllers.framework;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueueControllerTest {
  private static KubernetesClientException refused(int code, String reason) {
    Status status =
        new StatusBuilder()
            .withCode(code)
            .withMessage("refused")
            .withNewDetails()
            .addNewCause()
            .withReason(reason)
            .endCause()
            .endDetails()
            .build();
    return new KubernetesClientException(status);
  }

  @Test
  void workInATerminatingNamespaceIsDroppedWhileOtherFailuresAreRetried() {
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    try (QueueController c =
        new QueueController("queue-controller-test") {
          @Override
          protected void reconcile(String key) {
            calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            throw key.startsWith("gone/")
                ? refused(403, NamespaceTerminatingCause.REASON)
                : refused(500, "InternalError");
          }
        }) {
      c.start(1);
      c.enqueue("gone/x");
      c.enqueue("broken/y");
      // Retries back off from 5 ms: by the fourth try of the other key, a retry of the first
      // would have come long before.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> calls.getOrDefault("broken/y", new AtomicInteger()).get() >= 4);
      assertEquals(1, calls.get("gone/x").get());
    }
  }
}
