package dev.skiff.runtime.os;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a host program to completion with a deadline, capturing its output: through the spawn helper
 * once {@link #useSpawnHelper} named one, else (or when it is gone) from this JVM.
 */
public final class Command {
  private static final Logger LOG = LoggerFactory.getLogger(Command.class);
  private static volatile Path helperBinary;
  private static volatile Spawner spawner;

  private Command() {}

  /**
   * Runs later programs through {@code binary} ({@code skiff-monitor}), started on first use and
   * again if it dies. The first call wins: every runtime of this JVM installs the same program.
   */
  public static synchronized void useSpawnHelper(Path binary) {
    if (helperBinary == null) helperBinary = binary;
  }

  /** The running helper, started if need be; null when there is none (programs start here). */
  private static Spawner spawner() {
    Spawner s = spawner;
    if (s != null && s.alive()) return s;
    return helperBinary == null ? null : startSpawner();
  }

  private static synchronized void retire(Spawner s) {
    if (spawner == s) spawner = null;
    s.destroy();
  }

  private static synchronized Spawner startSpawner() {
    if (helperBinary == null) return null;
    if (spawner != null && spawner.alive()) return spawner;
    try {
      spawner = Spawner.start(helperBinary);
    } catch (IOException e) {
      LOG.warn(
          "cannot start spawn helper {}; starting programs directly: {}",
          helperBinary,
          e.getMessage());
      helperBinary = null;
      spawner = null;
    }
    return spawner;
  }

  /** Exit code and output of a finished program. */
  public record Result(List<String> command, int exitCode, byte[] stdout, byte[] stderr) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
      return new String(stderr, StandardCharsets.UTF_8).trim();
    }

    /** Throws with the program's stderr unless it exited 0. */
    public Result check() {
      if (exitCode != 0) {
        throw new CommandException(
            String.join(" ", command) + " failed (exit " + exitCode + "): " + err(), exitCode);
      }
      return this;
    }
  }

  /** A program failed or timed out. */
  public static final class CommandException extends RuntimeException {
    private final int exitCode;

    public CommandException(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  public static Result run(List<String> command, Duration timeout) {
    return run(command, timeout, null, Map.of());
  }

  /** Runs {@code command}; on timeout it is killed and a {@link CommandException} thrown. */
  public static Result run(
      List<String> command, Duration timeout, byte[] stdin, Map<String, String> env) {
    Spawner s = spawner();
    if (s != null) {
      try {
        return s.run(command, timeout, stdin, env);
      } catch (Spawner.UnavailableException e) {
        // Nothing ran: the helper died or lost its socket; the next program gets a new one.
        retire(s);
      } catch (IOException e) {
        throw new CommandException(
            "cannot run " + command.getFirst() + " through the spawn helper: " + e.getMessage(),
            -1);
      }
    }
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      throw new CommandException("cannot run " + command.getFirst() + ": " + e.getMessage(), -1);
    }
    CompletableFuture<byte[]> out = drain(p.getInputStream());
    CompletableFuture<byte[]> err = drain(p.getErrorStream());
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin);
    } catch (IOException e) {
      // The program exited without reading its input; its exit code tells the story.
    }
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        throw new CommandException(
            String.join(" ", command) + " timed out after " + timeout.toSeconds() + "s", -1);
      }
      return new Result(List.copyOf(command), p.exitValue(), out.join(), err.join());
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new CommandException("interrupted while running " + command.getFirst(), -1);
    }
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              ByteArrayOutputStream buf = new ByteArrayOutputStream();
              try (in) {
                in.transferTo(buf);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                f.complete(buf.toByteArray());
              }
            });
    return f;
  }
}
