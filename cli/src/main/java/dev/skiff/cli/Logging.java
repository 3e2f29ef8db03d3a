package dev.skiff.cli;

import java.util.Arrays;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Configures the SLF4J simple backend before the first logger exists: Skiff's own progress at info,
 * libraries at warn; with {@code -v}, Skiff at debug and libraries at info.
 */
final class Logging {
  /**
   * gRPC's shaded Netty (etcd and CRI clients) tells java.util.logging once whether epoll is
   * available; held here so the level set on it is not collected with the logger.
   */
  private static final Logger GRPC_NETTY = Logger.getLogger("io.grpc.netty.shaded.io.grpc.netty");

  private Logging() {}

  static void init(String[] args) {
    boolean verbose =
        Arrays.stream(args).anyMatch(a -> a.equals("-v") || a.equals("--verbose"))
            || "true".equalsIgnoreCase(System.getenv("SKIFF_VERBOSE"));
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.log.dev.skiff", verbose ? "debug" : "info");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", verbose ? "true" : "false");
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
    // gRPC asks every channel for SO_KEEPALIVE, which a Unix socket (the CRI's) does not have.
    setIfAbsent("org.slf4j.simpleLogger.log.io.grpc.netty.shaded.io.netty.bootstrap", "error");
    if (!verbose) {
      GRPC_NETTY.setLevel(Level.WARNING);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
