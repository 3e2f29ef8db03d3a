package dev.skiff.runtime.os;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a host program to completion with a deadline, capturing its output. */
public final class Command {
  private Command() {}

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
