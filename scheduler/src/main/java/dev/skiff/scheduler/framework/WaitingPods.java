package dev.skiff.scheduler.framework;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Pods a Permit plugin told to wait, by UID. A plugin (or anyone with the {@link Handle}) allows or
 * rejects them; unanswered ones are rejected when their timeout passes.
 */
public final class WaitingPods {
  private final Map<String, CompletableFuture<Status>> waiting = new ConcurrentHashMap<>();

  /** Starts waiting; the future completes with SUCCESS, a rejection, or the timeout rejection. */
  public CompletableFuture<Status> register(String uid, Duration timeout, String plugins) {
    CompletableFuture<Status> f = new CompletableFuture<>();
    waiting.put(uid, f);
    return f.completeOnTimeout(
            Status.unschedulable(
                "rejected due to timeout after waiting "
                    + timeout.toMillis() / 1000.0
                    + "s at plugin "
                    + plugins),
            timeout.toNanos(),
            TimeUnit.NANOSECONDS)
        .whenComplete((s, e) -> waiting.remove(uid, f));
  }

  public boolean allow(String uid) {
    CompletableFuture<Status> f = waiting.get(uid);
    return f != null && f.complete(Status.SUCCESS);
  }

  public boolean reject(String uid, String plugin, String message) {
    CompletableFuture<Status> f = waiting.get(uid);
    return f != null && f.complete(Status.unschedulable(message).withPlugin(plugin));
  }

  public boolean isWaiting(String uid) {
    return waiting.containsKey(uid);
  }
}
