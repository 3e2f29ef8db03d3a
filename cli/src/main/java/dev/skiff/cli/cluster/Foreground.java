package dev.skiff.cli.cluster;

import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server in the foreground until SIGINT/SIGTERM, then closes it in reverse order of start
 * (releasing its Leases so a standby takes over at once) and exits 0.
 */
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
                  // A clean stop on SIGTERM is a success, as systemd and upstream's servers see
                  // it; the JVM would otherwise report 143.
                  Runtime.getRuntime().halt(0);
                },
                "skiff-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
