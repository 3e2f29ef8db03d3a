package dev.skiff.cli.cluster;

import java.util.concurrent.CountDownLatch;

/** Keeps a server in the foreground until SIGINT/SIGTERM, then closes it before exiting. */
public final class Foreground {
  private Foreground() {}

  public static void runUntilSignalled(AutoCloseable... components) {
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (int i = components.length - 1; i >= 0; i--) {
                    try {
                      components[i].close();
                    } catch (Exception e) {
                      // Exiting anyway; nothing more useful to do with it.
                    }
                  }
                  stopped.countDown();
                },
                "skiff-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
