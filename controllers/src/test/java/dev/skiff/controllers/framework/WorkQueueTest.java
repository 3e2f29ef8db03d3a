package dev.skiff.controllers.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

  @Test
  void aKeyAddedTwiceBeforeAWorkerTakesItIsProcessedOnce() throws Exception {
    try (WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault())) {
      queue.add("default/web");
      queue.add("default/web");
      queue.add("default/db");
      assertEquals(2, queue.depth());
      assertEquals("default/web", queue.get().orElseThrow());
      assertEquals("default/db", queue.get().orElseThrow());
      assertEquals(0, queue.depth());
    }
  }

  @Test
  void aKeyAddedWhileBeingProcessedIsQueuedAgainOnlyWhenDone() throws Exception {
    try (WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault())) {
      queue.add("k");
      String key = queue.get().orElseThrow();
      queue.add("k");
      assertEquals(0, queue.depth(), "no second worker may take a key being processed");
      queue.done(key);
      assertEquals(1, queue.depth());
    }
  }

  @Test
  void closingWakesWaitingWorkersWithNothing() throws Exception {
    WorkQueue<String> queue = new WorkQueue<>("test", RateLimiter.controllerDefault());
    queue.close();
    assertTrue(queue.get().isEmpty());
  }

  @Test
  void failuresBackOffExponentiallyFromFiveMillisecondsToAThousandSeconds() {
    RateLimiter<String> limiter =
        new ItemExponentialRateLimiter<>(Duration.ofMillis(5), Duration.ofSeconds(1000));
    assertEquals(Duration.ofMillis(5), limiter.when("a"));
    assertEquals(Duration.ofMillis(10), limiter.when("a"));
    assertEquals(Duration.ofMillis(20), limiter.when("a"));
    assertEquals(Duration.ofMillis(5), limiter.when("b"), "each key backs off on its own");
    for (int i = 0; i < 60; i++) {
      limiter.when("a");
    }
    assertEquals(Duration.ofSeconds(1000), limiter.when("a"));
    assertEquals(64, limiter.retries("a"));
    limiter.forget("a");
    assertEquals(Duration.ofMillis(5), limiter.when("a"));
  }

  @Test
  void theTokenBucketAllowsABurstOfAHundredThenTenASecond() {
    RateLimiter<String> limiter = new BucketRateLimiter<>(10, 100);
    for (int i = 0; i < 100; i++) {
      assertEquals(Duration.ZERO, limiter.when("k" + i));
    }
    Duration wait = limiter.when("one-too-many");
    assertTrue(wait.toMillis() > 50 && wait.toMillis() <= 100, wait.toString());
  }
}
