package dev.skiff.cli;

/** An expected failure (port busy, missing package, cluster already running): one sentence. */
public final class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }

  public UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
