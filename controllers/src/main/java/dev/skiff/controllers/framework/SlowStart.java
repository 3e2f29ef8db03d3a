package dev.skiff.controllers.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs {@code count} calls in batches that double in size (1, 2, 4, …), stopping at the first batch
 * with a failure, so a controller whose creations all fail (quota, admission) sends one request
 * rather than hundreds.
 */
public final class SlowStart {
  private SlowStart() {}

  /** One call; throws when it failed. */
  public interface Call {
    void run() throws Exception;
  }

  /** The outcome: how many calls succeeded, and the first failure. */
  public record Result(int successes, Exception firstError) {}

  public static Result run(int count, int initialBatch, Call call) throws InterruptedException {
    int remaining = count;
    int successes = 0;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int batch = Math.min(remaining, initialBatch);
          batch > 0;
          batch = Math.min(2 * batch, remaining)) {
        List<Future<?>> futures = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          futures.add(
              executor.submit(
                  () -> {
                    call.run();
                    return null;
                  }));
        }
        Exception firstError = null;
        for (Future<?> future : futures) {
          try {
            future.get();
            successes++;
          } catch (java.util.concurrent.ExecutionException e) {
            if (firstError == null) {
              firstError = e.getCause() instanceof Exception cause ? cause : e;
            }
          }
        }
        if (firstError != null) {
          return new Result(successes, firstError);
        }
        remaining -= batch;
      }
    }
    return new Result(successes, null);
  }
}
